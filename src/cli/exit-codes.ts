/** Exit codes, as diff and grep use them. */
export const ExitCode = {
  Ok: 0,
  /** The numeric check disagreed with the symbolic gradient. */
  CheckFailed: 1,
  /** Usage, syntax, shape or domain errors in the input. */
  BadInput: 2,
  /** A bug in matcalc. */
  Internal: 70,
  /** The output could not be written (a full disk, a closed pipe): EX_IOERR of sysexits.h. */
  IoError: 74,
  /** Stopped by SIGINT (128 + 2, as a shell reports it), after the last whole output line. */
  Interrupted: 130,
} as const;
