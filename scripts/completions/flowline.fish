# fish completion for flowline(1), read from the program's own --help as the bash one is
# (flowline.bash says why): commands, options with their help, --order fields, GPU ids.

function __flowline_exe
    set -l exe (commandline -opc)[1]
    if string match -q '*/*' -- $exe; and test -x $exe
        echo $exe
    else
        echo flowline
    end
end

function __flowline_commands
    set -l exe (__flowline_exe)
    $exe --help 2>/dev/null | string replace -rf '^  ([a-z][a-z-]*)  +(.*)$' '$1'\t'$2'
end

function __flowline_args
    set -l tokens (commandline -opc)
    set -l exe (__flowline_exe)
    set -l cmd $tokens[2]
    set -l prev $tokens[-1]
    set -l cur (commandline -ct)
    set -l head (string match -r '^.*,' -- $cur)
    switch $prev
        case --order
            for field in ($exe run --help 2>/dev/null | sed -n '/^  --order /,/^  --/p' |
                    sed -n '/fields[^:]*:/,${s/.*fields[^:]*://;/^  --/!p}' |
                    string split ',' | string trim | string match -r '^[a-z_]+$')
                echo "$head$field"
            end
            return
        case --gpus
            set -l spec
            for i in (seq 2 (count $tokens))
                if test "$tokens[$i]" = --sim-gpus; and test $i -lt (count $tokens)
                    set spec $tokens[(math $i + 1)]
                else if string match -q -- '--sim-gpus=*' $tokens[$i]
                    set spec (string replace -- '--sim-gpus=' '' $tokens[$i])
                end
            end
            set -l ids
            if test -n "$spec"
                set -l n 0
                for term in (string split ',' -- $spec)
                    set -l parts (string split x -- $term)
                    if test (count $parts) -gt 1
                        set n (math $n + $parts[1])
                    else
                        set n (math $n + 1)
                    end
                end
                test $n -gt 0; and set ids (seq 0 (math $n - 1))
            else
                set ids ($exe gpus --json 2>/dev/null | string match -ar '"[0-9]+": *\{' |
                    string replace -ar '[^0-9]' '')
            end
            for id in $ids
                echo "$head$id"
            end
            return
        case --state-dir --log-dir
            __fish_complete_directories $cur
            return
    end
    set -l help ($exe $cmd --help 2>/dev/null)
    if string match -q -- '--*' $prev; and string match -qr -- "^  $prev [^ ]" $help
        return  # another option's value
    end
    if string match -q -- '-*' $cur
        string replace -rf '^  (--[a-z][a-z0-9-]*)(?: [^ ]+)*  +(.*)$' '$1'\t'$2' -- $help
        printf '%s\t%s\n' --help 'show this help'
        return
    end
    __fish_complete_path $cur
end

complete -c flowline -f
complete -c flowline -n __fish_use_subcommand -a '(__flowline_commands)'
complete -c flowline -n 'not __fish_use_subcommand' -a '(__flowline_args)'
