# bash completion for flowline(1).
# Commands, options and --order fields come from the program's own --help, so they stay true
# when options change; GPU ids from `flowline gpus --json`, or are counted from --sim-gpus
# when the line has one (asking the simulated driver would create its state directory).

# The program being completed: as typed when it is a path, else flowline from PATH.
_flowline_exe() {
  local exe=${COMP_WORDS[0]}
  exe=${exe/#\~/$HOME}
  [[ $exe == */* && -x $exe ]] && printf '%s' "$exe" || printf flowline
}

_flowline_commands() {
  "$1" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'
}

# Every option of a command; with "value", only those that take a value (`--max N`).
_flowline_options() {
  if [[ $3 == value ]]; then
    "$1" "$2" --help 2>/dev/null | sed -n 's/^  \(--[a-z][a-z0-9-]*\) [^ ].*/\1/p'
  else
    "$1" "$2" --help 2>/dev/null | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p'
    echo --help
  fi
}

# The fields `--order` accepts: listed under it in `flowline run --help`.
_flowline_order_fields() {
  "$1" run --help 2>/dev/null |
    sed -n '/^  --order /,/^  --/p' | sed -n '/fields[^:]*:/,${s/.*fields[^:]*://;/^  --/!p}' |
    tr ', ' '\n\n' | grep -x '[a-z_]\+'
}

_flowline_gpu_ids() {
  local i spec=
  for ((i = 2; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --sim-gpus) spec=${COMP_WORDS[i + 1]} ;;
      --sim-gpus=*) spec=${COMP_WORDS[i]#*=} ;;
    esac
  done
  if [[ -n $spec ]]; then
    local term n=0
    for term in ${spec//,/ }; do
      [[ $term == *x* ]] && ((n += ${term%%x*})) || ((n += 1))
    done
    ((n > 0)) && seq 0 $((n - 1))
  else
    "$1" gpus --json 2>/dev/null | grep -o '"[0-9][0-9]*": *{' | tr -dc '0-9\n'
  fi
}

# Completes the last item of a comma-separated list (`--gpus 0,2,<TAB>`).
_flowline_list_item() {
  local cur=$1 head= word
  [[ $cur == *,* ]] && head=${cur%,*},
  shift
  for word in "$@"; do
    [[ $head$word == "$cur"* ]] && COMPREPLY+=("$head$word")
  done
}

_flowline() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} exe
  exe=$(_flowline_exe)
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    mapfile -t COMPREPLY < <(compgen -W "$(_flowline_commands "$exe") --help --version" -- "$cur")
    return
  fi
  local cmd=${COMP_WORDS[1]}
  case $prev in
    --order)
      _flowline_list_item "$cur" $(_flowline_order_fields "$exe")
      return ;;
    --gpus)
      _flowline_list_item "$cur" $(_flowline_gpu_ids "$exe")
      return ;;
    --state-dir | --log-dir)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return ;;
  esac
  # Another option's value: nothing to suggest (files, from -o default).
  if ((COMP_CWORD > 2)) && [[ $prev == --* ]] &&
    _flowline_options "$exe" "$cmd" value | grep -qx -- "$prev"; then
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_flowline_options "$exe" "$cmd")" -- "$cur")
  fi
  # Otherwise a TABLE or other argument: files (-o default).
}

complete -o default -F _flowline flowline
