import { CATALOG } from '../diagnostics/catalog.js';

/**
 * The JSON Schema (draft 2020-12) of every JSON the command line emits: the object of
 * `<command> --format json` (produced by commandJson, the single source of that JSON), the error object
 * `{"error": {…}}`, and the lines of `matcalc batch` (either of those, with the request's `id`).
 * Printed by `matcalc schema`; the tests validate real outputs against it.
 */

/** Error ids that are not in the diagnostic catalog: problems with the request rather than the expression. */
export const REQUEST_ERROR_IDS = {
  /** A command-line usage error (bad option value, unknown option). */
  usage: 'usage',
  /** A batch line that is not JSON, or not a JSON object. */
  notJson: 'batch/not-json',
  /** A batch request that lacks expr or wrt, has a field of the wrong type, or an unknown field. */
  badRequest: 'batch/bad-request',
  /** A bug in matcalc while handling one batch line (the other lines still run). */
  internal: 'internal',
} as const;

/** The code of the request errors above (MC2000, the usage code); `internal` has MC7000. */
export const REQUEST_ERROR_CODE = 'MC2000';
export const INTERNAL_ERROR_CODE = 'MC7000';

const SCHEMA_URI = 'https://json-schema.org/draft/2020-12/schema';

export function jsonSchema(): Record<string, unknown> {
  const errorIds = [...Object.keys(CATALOG), ...Object.values(REQUEST_ERROR_IDS)];
  return {
    $schema: SCHEMA_URI,
    title: 'matcalc JSON output',
    description:
      'Every JSON document matcalc prints: the result of `matcalc grad --format json`, of `matcalc diff|jac|hess --format json`, an error object (`--format json` on bad input), or one line of `matcalc batch` output.',
    anyOf: [{ $ref: '#/$defs/result' }, { $ref: '#/$defs/errorOutput' }, { $ref: '#/$defs/batchLine' }],
    $defs: {
      dim: {
        description: 'One dimension: a known size (a positive integer) or a symbolic size such as "n", or a product of symbols (a Kronecker product, vec) such as "m·p" (factors sorted, a number coefficient first).',
        oneOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', minLength: 1 },
        ],
      },
      shape: {
        description: 'A shape [rows, columns]; a column vector has 1 column, a scalar is [1, 1].',
        type: 'array',
        prefixItems: [{ $ref: '#/$defs/dim' }, { $ref: '#/$defs/dim' }],
        minItems: 2,
        maxItems: 2,
        items: false,
      },
      wrt: {
        description: 'The variable differentiated with respect to (a string), or the variables (a list of two or more).',
        oneOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, uniqueItems: true },
        ],
      },
      atValue: {
        description: 'A value at the point: a number (a scalar), a list (a column vector) or a list of rows (a matrix).',
        oneOf: [
          { type: 'number' },
          { type: 'array', items: { type: 'number' }, minItems: 1 },
          { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 1 }, minItems: 1 },
        ],
      },
      at: {
        type: 'object',
        description: 'Values at the point given by --at or --at-file (present only then): the point, f, and each result evaluated there.',
        required: ['point', 'f'],
        additionalProperties: false,
        properties: {
          point: { type: 'object', description: 'The point, by variable name.', additionalProperties: { $ref: '#/$defs/atValue' } },
          f: { $ref: '#/$defs/atValue', description: 'The value of f (or F).' },
          gradient: { type: 'object', description: 'grad: each gradient at the point, by variable.', additionalProperties: { $ref: '#/$defs/atValue' } },
          jacobian: { type: 'object', description: 'jac: each Jacobian matrix read off, by variable.', additionalProperties: { $ref: '#/$defs/atValue' } },
          hessian: { type: 'object', description: 'hess: each Hessian matrix, by variable ("x,y" for a mixed block).', additionalProperties: { $ref: '#/$defs/atValue' } },
        },
      },
      definitions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'text'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, description: 'The name used in the text.' },
            text: { type: 'string', description: 'Its definition, in math notation.' },
          },
        },
      },
      gradient: {
        description: 'One gradient, in every notation.',
        type: 'object',
        required: ['text', 'where', 'ascii', 'numpy', 'latex', 'shape'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', description: 'In math notation (Unicode), using the names in `where`.' },
          where: { $ref: '#/$defs/definitions', description: 'Shared subexpressions named in `text`, in order of definition.' },
          ascii: { type: 'string', description: 'In ASCII notation; parses back with matcalc (definitions first, `name = …;`).' },
          numpy: { type: 'string', description: 'A NumPy expression.' },
          latex: { type: 'string', description: 'In LaTeX (renders with KaTeX), with the shared definitions after \\quad\\text{where}.' },
          shape: { $ref: '#/$defs/shape', description: 'The shape of the gradient (the shape of the variable).' },
        },
      },
      step: {
        type: 'object',
        description: 'One step of the derivation ⟨G, dX⟩.',
        required: ['rule', 'text'],
        additionalProperties: false,
        properties: {
          rule: { type: 'string', minLength: 1, description: 'The rule applied ("start" for the first step), as listed by `matcalc rules`.' },
          text: { type: 'string', description: 'The expression after the step.' },
        },
      },
      check: {
        type: 'object',
        description: 'The numeric check of the gradient against finite differences.',
        required: ['passed', 'status', 'relativeError', 'seed', 'sizes', 'comparisons'],
        additionalProperties: false,
        properties: {
          passed: { type: 'boolean', description: 'True exactly when status is "passed".' },
          status: { enum: ['passed', 'failed', 'inconclusive'], description: '"failed": the gradient is wrong (exit code 1).' },
          relativeError: {
            type: ['number', 'null'],
            minimum: 0,
            description: 'The worst relative error over all comparisons; null when no comparison could be made.',
          },
          seed: { type: 'integer', minimum: 0, description: 'The seed of the random inputs (--seed).' },
          sizes: {
            type: 'object',
            description: 'The size chosen for each symbolic dimension, keys sorted.',
            additionalProperties: { type: 'integer', minimum: 1 },
          },
          comparisons: { type: 'integer', minimum: 0, description: 'How many directional derivatives were compared.' },
          reason: { type: 'string', description: 'Why the check failed or was inconclusive, with the numbers.' },
        },
        if: { properties: { status: { const: 'passed' } } },
        then: { properties: { passed: { const: true } } },
        else: { properties: { passed: { const: false } } },
      },
      expressionViews: {
        type: 'object',
        description: 'One expression in every notation.',
        required: ['text', 'latex'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', description: 'In math notation (Unicode), using the names in the result\'s `where`.' },
          latex: { type: 'string', description: 'In LaTeX (renders with KaTeX).' },
          ascii: { type: 'string', description: 'In ASCII notation (definitions first).' },
          numpy: { type: 'string', description: 'A NumPy expression in the inputs (vectors as (n, 1) columns); for a differential also in the direction dX, for a Hessian product in V.' },
        },
      },
      jacobian: {
        type: 'object',
        description: 'jac: the Jacobian with respect to one variable. numpy only when it is a matrix term (vectors and scalars).',
        required: ['variable', 'text', 'latex', 'layout', 'form'],
        additionalProperties: false,
        properties: {
          variable: { type: 'string', minLength: 1 },
          text: { type: 'string', description: 'The matrix, its Kronecker form, or (form "operator") the linear map dX ↦ dF.' },
          latex: { type: 'string' },
          numpy: { type: 'string', description: 'A NumPy expression for the m×n (or, denominator, n×m) Jacobian.' },
          shape: { $ref: '#/$defs/shape' },
          layout: { enum: ['numerator', 'denominator'] },
          form: {
            enum: ['matrix', 'kronecker', 'operator'],
            description: 'matrix: an expression; kronecker: a vec-Jacobian with ⊗, vec and the commutation matrix K; operator: no matrix could be read off (the reason is in the result line\'s caption).',
          },
        },
      },
      hessian: {
        type: 'object',
        description: 'hess: one block of the Hessian, ∂²f/∂a∂bᵀ with a = `of` and b = `variable`.',
        required: ['of', 'variable', 'form', 'product'],
        additionalProperties: false,
        properties: {
          of: { type: 'string', minLength: 1, description: 'The variable of the gradient differentiated (rows).' },
          variable: { type: 'string', minLength: 1, description: 'The variable of the direction (columns).' },
          text: { type: 'string', description: 'The n×n matrix (vectors), or its Kronecker form (matrices).' },
          latex: { type: 'string' },
          numpy: { type: 'string', description: 'For scalar or vector variables: a NumPy expression for the Hessian matrix.' },
          shape: { $ref: '#/$defs/shape' },
          form: { enum: ['matrix', 'kronecker', 'operator'] },
          product: {
            description: "H[V], the Hessian applied to a direction V of the variable's shape: d²f = ⟨V, H[V]⟩.",
            oneOf: [
              {
                type: 'object',
                required: ['direction', 'text', 'latex', 'numpy'],
                additionalProperties: false,
                properties: {
                  direction: { type: 'string', minLength: 1, description: "The name of V in `numpy` (a NumPy array of the variable's shape; vectors as (n, 1) columns)." },
                  text: { type: 'string' },
                  latex: { type: 'string' },
                  numpy: { type: 'string', description: 'A NumPy expression in the inputs and the direction, evaluating to H[V].' },
                },
              },
              { type: 'null' },
            ],
          },
        },
      },
      result: {
        description: 'The output of `matcalc grad|diff|jac|hess --format json`.',
        type: 'object',
        $ref: '#/$defs/resultBody',
        unevaluatedProperties: false,
      },
      resultBody: {
        type: 'object',
        description: 'The result of `matcalc grad|diff|jac|hess --format json` (commandJson): one layout for every command; `results` has every line printed, and each command adds its own objects.',
        required: ['command', 'input', 'wrt', 'shapes', 'function', 'results', 'where', 'steps', 'check', 'notes'],
        properties: {
          command: { enum: ['grad', 'diff', 'jac', 'hess'] },
          input: { type: 'string', description: 'The expression, as given.' },
          wrt: { $ref: '#/$defs/wrt' },
          shapes: {
            type: 'object',
            description: 'The shape of every variable (inferred or from --dims), and of each --wrt variable that does not occur.',
            propertyNames: { minLength: 1 },
            additionalProperties: { $ref: '#/$defs/shape' },
          },
          function: {
            type: 'object',
            description: 'The function f or F (a scalar for grad and hess; any shape for diff and jac), in every notation.',
            required: ['text', 'latex', 'ascii', 'numpy', 'shape'],
            additionalProperties: false,
            properties: {
              text: { type: 'string', description: 'In math notation, as read.' },
              latex: { type: 'string', description: 'In LaTeX.' },
              ascii: { type: 'string', description: 'In ASCII notation (parses back).' },
              numpy: { type: 'string', description: 'A NumPy expression (for grad and hess, the scalar value).' },
              shape: { $ref: '#/$defs/shape' },
            },
          },
          layout: { enum: ['numerator', 'denominator'], description: 'jac only: numerator (vec dF = J vec dX, J is m×n) or its transpose.' },
          directions: {
            type: 'object',
            description: 'diff, jac, hess: for each variable, the name of its direction in the results: dX (diff, jac) or V (hess).',
            additionalProperties: { type: 'string', minLength: 1 },
          },
          results: {
            type: 'array',
            description: 'Every result line, in the order printed.',
            items: {
              type: 'object',
              required: ['role', 'label', 'text', 'latex'],
              additionalProperties: false,
              properties: {
                role: { enum: ['differential', 'jacobian', 'hessian', 'hessian-product', 'gradient', 'linear', 'hessian-matrix', 'jacobian-matrix'] },
                variable: { type: 'string', description: 'The variable the line is a derivative with respect to.' },
                of: { type: 'string', description: 'hess: the variable of the gradient differentiated (mixed blocks differ from `variable`).' },
                label: { type: 'string', description: 'e.g. "∂F/∂x", "∇²_x f", "H[V]".' },
                text: { type: 'string' },
                latex: { type: 'string' },
                ascii: { type: 'string' },
                numpy: { type: 'string' },
                shape: { $ref: '#/$defs/shape', description: 'The matrix\'s shape (for a vec-Jacobian: the lengths of vec dF and vec dX; "mn" is m·n).' },
                caption: { type: 'string', description: 'The convention: layout, vec form.' },
              },
            },
          },
          where: { $ref: '#/$defs/definitions', description: 'Shared subexpressions named in the results, in order of definition.' },
          differential: { $ref: '#/$defs/expressionViews', description: 'diff and jac: dF, linear in the directions.' },
          jacobian: { $ref: '#/$defs/jacobian', description: 'jac: the Jacobian with respect to the first variable.' },
          jacobians: { type: 'array', items: { $ref: '#/$defs/jacobian' }, description: 'jac: the Jacobian with respect to each variable, in the order of wrt.' },
          gradient: {
            description: 'grad: the gradient with its own definitions (only when there is one variable); hess: the gradient that was differentiated.',
            oneOf: [{ $ref: '#/$defs/gradient' }, { $ref: '#/$defs/expressionViews' }],
          },
          gradients: {
            type: 'object',
            description: 'grad: every gradient, by variable name, in the order of wrt, each with its own definitions.',
            minProperties: 1,
            additionalProperties: { $ref: '#/$defs/gradient' },
          },
          hessian: { $ref: '#/$defs/hessian', description: 'hess: the Hessian of the first variable.' },
          hessians: {
            type: 'array',
            items: { $ref: '#/$defs/hessian' },
            description: 'hess: every block ∂²f/∂a∂bᵀ (one for a single variable; with --wrt x,y the mixed blocks too), rows a = `of`, columns b = `variable`.',
          },
          hessianMatrix: {
            type: 'object',
            description: 'hess with two or more scalar or vector variables: the blocks as one matrix [[H_xx, H_xy], [H_yx, H_yy]], the Hessian in the stacked variable.',
            required: ['variables', 'text', 'ascii', 'latex', 'numpy', 'shape'],
            additionalProperties: false,
            properties: {
              variables: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'The stacked variables, in order: block row and column i follow variables[i].' },
              text: { type: 'string', description: 'Rows separated by `;`, blocks by `,`.' },
              ascii: { type: 'string', description: 'The same with each block in ASCII.' },
              latex: { type: 'string', description: 'A bmatrix of the blocks.' },
              numpy: { type: 'string', description: 'An np.block expression in the inputs.' },
              shape: { $ref: '#/$defs/shape', description: 'N×N, N the sum of the variables\' lengths ("n+m+1" when symbolic).' },
            },
          },

          steps: {
            type: 'array',
            description: 'The derivation: grad, the reverse sweep ⟨G, dX⟩ step by step; diff|jac|hess, one line per node, d(node) in terms of its operands\' differentials.',
            items: { $ref: '#/$defs/step' },
          },
          check: { description: 'The numeric check; null when skipped (--no-check).', oneOf: [{ $ref: '#/$defs/check' }, { type: 'null' }] },
          notes: { type: 'array', description: 'Remarks for the user (variables that do not occur, conventions).', items: { type: 'string' } },
          at: { $ref: '#/$defs/at' },
        },
        allOf: [
          {
            if: { properties: { command: { const: 'grad' } } },
            then: {
              properties: { gradients: true },
              required: ['gradients'],
              if: { properties: { wrt: { type: 'string' } } },
              then: { properties: { gradient: true }, required: ['gradient'] },
              else: { not: { properties: { gradient: true }, required: ['gradient'] } },
            },
            else: { properties: { directions: true }, required: ['directions'] },
          },
        ],
      },
      error: {
        type: 'object',
        description: 'What was wrong with the input. source, line, column, start and end come together, when the problem has a position.',
        required: ['code', 'id', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', pattern: '^MC\\d{4}$', description: 'A stable code: 1xxx syntax, 2xxx shapes and options (2000: usage and batch requests), 3xxx differentiation, 4xxx checks, 5xxx rule files, 7000 internal.' },
          id: { enum: errorIds, description: 'A stable identifier, e.g. "syntax/unclosed".' },
          message: { type: 'string', minLength: 1, description: 'For people.' },
          source: { type: 'string', description: 'The text the position points into: "<input>" (the expression), "--dims", "--assume"; in batch output, the batch file (line/column/start/end are in that file) or "FILE:N expr", the expr of line N.' },
          line: { type: 'integer', minimum: 1, description: '1-based line in source.' },
          column: { type: 'integer', minimum: 1, description: '1-based column in source, in code points.' },
          start: { type: 'integer', minimum: 0, description: 'UTF-16 offset where the problem starts in source.' },
          end: { type: 'integer', minimum: 0, description: 'UTF-16 offset where it ends (exclusive).' },
          notes: { type: 'array', items: { type: 'string' }, description: 'More detail.' },
        },
        dependentRequired: {
          source: ['line', 'column', 'start', 'end'],
          line: ['source'],
          column: ['source'],
          start: ['source'],
          end: ['source'],
        },
      },
      errorOutput: {
        type: 'object',
        description: 'The output of `matcalc grad --format json` on bad input (exit code 2).',
        required: ['error'],
        additionalProperties: false,
        properties: { error: { $ref: '#/$defs/error' } },
      },
      requestId: {
        description: "The request's `id`, echoed verbatim (any JSON value).",
      },
      batchResult: {
        description: 'A batch line for a request that succeeded: the result of its command, plus the id when the request had one.',
        type: 'object',
        $ref: '#/$defs/resultBody',
        properties: { id: { $ref: '#/$defs/requestId' } },
        unevaluatedProperties: false,
      },
      batchError: {
        type: 'object',
        description: 'A batch line for a request that failed, plus the id when the request had one (and was JSON).',
        required: ['error'],
        additionalProperties: false,
        properties: { error: { $ref: '#/$defs/error' }, id: { $ref: '#/$defs/requestId' } },
      },
      batchLine: {
        description: 'One line of `matcalc batch` output.',
        oneOf: [{ $ref: '#/$defs/batchResult' }, { $ref: '#/$defs/batchError' }],
      },
    },
  };
}
