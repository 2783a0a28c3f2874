import { notationTable } from './harness.js';

/**
 * Block vectors and block matrices as NumPy and PyTorch write them (issue 12): np.concatenate and
 * torch.cat of a list or a tuple along the first axis are [x; y]; np.vstack of 2-D blocks [A; B];
 * np.block's nested lists [A, B; C, D]. Each is read as the NumPy f at random inputs, and its
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
]);
