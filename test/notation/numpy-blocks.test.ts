import { notationTable } from './harness.js';

/**
 * Block vectors and block matrices as NumPy and PyTorch write them (issue 12): np.concatenate and
 * torch.cat of a list or a tuple along the first axis are [x; y]; np.vstack of 2-D blocks [A; B];
 * np.block's nested lists [A, B; C, D]; np.concatenate/torch.cat with axis=1 (dim=1) side by side, [A, B]. Each is read as the NumPy f at random inputs, and its
 * gradient passes the check (harness.ts).
 */
notationTable('NumPy / PyTorch blocks', [
  { input: 'np.sum(np.concatenate([x, y]))', wrt: 'x', dims: 'x=3,y=2', numpy: 'np.sum(x) + np.sum(y)' },
  { input: 'np.sum(np.concatenate((x, y)) ** 2)', wrt: 'y', dims: 'x=3,y=2', numpy: 'np.sum(x**2) + np.sum(y**2)' },
  { input: 'torch.sum(torch.cat([x, y]) ** 2)', wrt: 'x', dims: 'x=3,y=2', numpy: 'np.sum(x**2) + np.sum(y**2)' },
  { input: 'torch.sum(torch.exp(torch.cat((x, y))))', wrt: 'x', dims: 'x=3,y=2', numpy: 'np.sum(np.exp(x)) + np.sum(np.exp(y))' },
  { input: 'w.T @ np.concatenate([x, y])', wrt: 'w', dims: 'x=3,y=2', numpy: 'w[:3].T @ x + w[3:].T @ y' },
  { input: 'np.linalg.norm(np.concatenate([A @ x, x])) ** 2', wrt: 'x', dims: 'A=2x3', numpy: 'np.sum((A @ x)**2) + np.sum(x**2)' },
  { input: 'np.sum(np.vstack([A, B]) @ x)', wrt: 'x', dims: 'A=2x3,B=4x3', numpy: 'np.sum(A @ x) + np.sum(B @ x)' },
  { input: 'np.sum(np.block([[A, B], [C, D]]))', wrt: 'B', dims: 'A=2x2,B=2x3,C=3x2,D=3x3', numpy: 'np.sum(A) + np.sum(B) + np.sum(C) + np.sum(D)' },
  { input: 'c.T @ np.block([[A, B]]) @ np.concatenate([x, y])', wrt: 'x', dims: 'A=2x3,B=2x4', numpy: 'c.T @ A @ x + c.T @ B @ y' },
  { input: 'torch.sum(torch.tanh(W @ torch.cat([x, b])))', wrt: 'W', dims: 'W=2x5,x=3,b=2', numpy: 'np.sum(np.tanh(W[:, :3] @ x + W[:, 3:] @ b))' },
  { input: 'np.sum(np.hstack([x, y]))', wrt: 'x', refuse: 'np.concatenate([x, y])' },
  // Along an axis: 1 (or −1, dim=1) side by side, 0 (the default, −2) top to bottom; arrays are 2-D.
  { input: 'np.sum(np.tanh(np.concatenate([A, B], axis=1) @ x))', wrt: 'x', dims: 'A=2x3,B=2x4,x=7', numpy: 'np.sum(np.tanh(A @ x[:3] + B @ x[3:]))' },
  { input: 'torch.sum(torch.tanh(torch.cat((H, X), dim=1) @ W))', wrt: 'W', dims: 'H=4x3,X=4x2,W=5x2', numpy: 'np.sum(np.tanh(H @ W[:3, :] + X @ W[3:, :]))' },
  { input: 'torch.sum(torch.cat([H, X @ V], -1) ** 2)', wrt: 'V', dims: 'H=4x3,X=4x2,V=2x3', numpy: 'np.sum(H**2) + np.sum((X @ V)**2)' },
  { input: 'np.sum(np.concatenate([A, B], axis=0) @ x)', wrt: 'x', dims: 'A=2x3,B=4x3', numpy: 'np.sum(A @ x) + np.sum(B @ x)' },
  { input: 'np.sum(np.concatenate([A, np.concatenate([B, C], axis=0)], axis=1) @ x)', wrt: 'x', dims: 'A=5x2,B=2x3,C=3x3,x=5', numpy: 'np.sum(A @ x[:2]) + np.sum(B @ x[2:]) + np.sum(C @ x[2:])' },
  { input: 'np.sum(np.concatenate([A, B], axis=2) @ x)', wrt: 'x', refuse: 'axes 0 (top to bottom) and 1 (side by side)' },
  { input: 'np.sum(np.concatenate(L, axis=1) @ x)', wrt: 'x', refuse: 'np.concatenate([A, B], axis=1)' },
]);
