import { Argument, type Command, type Option } from 'commander';
import { ExitCode } from './exit-codes.js';

/**
 * `matcalc completion bash|zsh|fish`: a completion script for the shell, made from the program's own
 * declaration (its commands, their options and the choices of an option such as --format), so it
 * can never offer a command or a value the CLI does not have. Install with, e.g.,
 *   matcalc completion bash > ~/.local/share/bash-completion/completions/matcalc
 *   matcalc completion zsh > "${fpath[1]}/_matcalc"
 *   matcalc completion fish > ~/.config/fish/completions/matcalc.fish
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** What a shell needs to know of one command. */
interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly { readonly flags: readonly string[]; readonly description: string; readonly choices?: readonly string[]; readonly takesValue: boolean }[];
  /** The values its arguments may take, where they are a fixed list (the shell of `completion`). */
  readonly argumentChoices: readonly string[];
}

function optionSpec(option: Option): CommandSpec['options'][number] {
  const flags = [option.long, option.short].filter((f): f is string => typeof f === 'string');
  return {
    flags,
    description: option.description,
    ...(option.argChoices ? { choices: option.argChoices } : {}),
    takesValue: option.required || option.optional,
  };
}

/** The program's commands (without this one) and the global options, read off commander. */
export function commandSpecs(program: Command): { global: CommandSpec['options']; commands: CommandSpec[] } {
  const help = { flags: ['--help', '-h'], description: 'display help', takesValue: false };
  return {
    global: [...program.options.map(optionSpec), help],
    commands: program.commands.map((c) => ({
      name: c.name(),
      description: c.description(),
      options: [...c.options.map(optionSpec), help],
      argumentChoices: c.registeredArguments.flatMap((a) => a.argChoices ?? []),
    })),
  };
}

/** A word inside single quotes for bash, zsh and fish alike ('…'\''…'). */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function bash(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const cases = commands.map((c) => {
    const words = [...c.argumentChoices, ...c.options.flatMap((o) => o.flags)].join(' ');
    const choices = c.options
      .filter((o) => o.choices)
      .map((o) => `        ${o.flags.join('|')}) COMPREPLY=( $(compgen -W ${quoted(o.choices!.join(' '))} -- "$cur") ); return ;;`)
      .join('\n');
    return `    ${c.name})\n      case "$prev" in\n${choices}${choices ? '\n' : ''}      esac\n      COMPREPLY=( $(compgen -W ${quoted(words)} -- "$cur") ); return ;;`;
  });
  return `# bash completion for matcalc (made by \`matcalc completion bash\`)
_matcalc() {
  local cur prev cmd i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
    "") COMPREPLY=( $(compgen -W ${quoted([...commands.map((c) => c.name), ...global.flatMap((o) => o.flags)].join(' '))} -- "$cur") ); return ;;
${cases.join('\n')}
  esac
}
complete -o default -F _matcalc matcalc
`;
}

/** zsh's _arguments spec of one option: '(--a -a)'{--a,-a}'[what]:value:(x y)'. */
function zshOption(o: CommandSpec['options'][number]): string {
  const what = o.description.replace(/[[\]:\\]/g, (c) => `\\${c}`);
  const value = o.takesValue ? `:value:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : '';
  const body = quoted(`[${what}]${value}`);
  return o.flags.length === 1 ? `${quoted(o.flags[0]!)}${body}` : `${quoted(`(${o.flags.join(' ')})`)}{${o.flags.join(',')}}${body}`;
}

function zsh(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const list = commands.map((c) => `    ${quoted(`${c.name}:${c.description.replace(/:/g, '\\:')}`)}`).join('\n');
  const rest = (c: CommandSpec) => (c.argumentChoices.length > 0 ? quoted(`1:argument:(${c.argumentChoices.join(' ')})`) : `'*:expression or file:_files'`);
  const cases = commands.map((c) => `    ${c.name})\n      _arguments -s \\\n        ${c.options.map(zshOption).join(' \\\n        ')} \\\n        ${rest(c)} ;;`);
  return `#compdef matcalc
# zsh completion for matcalc (made by \`matcalc completion zsh\`)
_matcalc() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    _arguments -s ${global.map(zshOption).join(' ')}
    return
  fi
  # The command's own words from here on: its options and arguments count from 1.
  local cmd="\${words[2]}"
  shift words
  (( CURRENT-- ))
  case "$cmd" in
${cases.join('\n')}
  esac
}
_matcalc "$@"
`;
}

function fish(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const names = commands.map((c) => c.name).join(' ');
  const lines = [
    '# fish completion for matcalc (made by `matcalc completion fish`)',
    'complete -c matcalc -f',
    ...commands.map((c) => `complete -c matcalc -n ${quoted(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${quoted(c.description)}`),
    ...global.map((o) => fishOption(o, `not __fish_seen_subcommand_from ${names}`)),
    ...commands.flatMap((c) => c.options.map((o) => fishOption(o, `__fish_seen_subcommand_from ${c.name}`))),
    ...commands
      .filter((c) => c.argumentChoices.length > 0)
      .map((c) => `complete -c matcalc -n ${quoted(`__fish_seen_subcommand_from ${c.name}`)} -a ${quoted(c.argumentChoices.join(' '))}`),
  ];
  return `${lines.join('\n')}\n`;
}

function fishOption(o: CommandSpec['options'][number], condition: string): string {
  const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
  const short = o.flags.find((f) => /^-[^-]/.test(f))?.slice(1);
  const parts = ['complete -c matcalc', `-n ${quoted(condition)}`];
  if (long) parts.push(`-l ${long}`);
  if (short) parts.push(`-s ${short}`);
  if (o.takesValue) parts.push('-r');
  if (o.choices) parts.push(`-a ${quoted(o.choices.join(' '))}`);
  parts.push(`-d ${quoted(o.description)}`);
  return parts.join(' ');
}

const WRITERS: Record<Shell, (program: Command) => string> = { bash, zsh, fish };

export function completionScript(program: Command, shell: Shell): string {
  return WRITERS[shell](program);
}

/** Registers `matcalc completion <shell>`; register it last, so that it sees every other command. */
export function registerCompletion(program: Command, done: (code: number) => void): void {
  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', `one of ${SHELLS.join(', ')}`).choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  matcalc completion bash > ~/.local/share/bash-completion/completions/matcalc
  matcalc completion zsh > "\${fpath[1]}/_matcalc"
  matcalc completion fish > ~/.config/fish/completions/matcalc.fish`,
    )
    .action((shell: Shell) => {
      // commander has refused any other shell (exit 2, with the choices).
      process.stdout.write(completionScript(program, shell));
      done(ExitCode.Ok);
    });
}
