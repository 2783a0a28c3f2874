/** Exit codes, as diff and grep use them. */
export const ExitCode = {
  Ok: 0,
  /** The numeric check disagreed with the symbolic gradient. */
  CheckFailed: 1,
  /** Usage, syntax, shape or domain errors in the input. */
  BadInput: 2,
  /** A bug in matcalc. */
  Internal: 70,
} as const;
