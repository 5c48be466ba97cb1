function __jina_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __jina_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __jina_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __jina_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __jina_parse_tokens -S
    set -l unparsed_tokens (__jina_tokens -pc)
    switch $unparsed_tokens[1]
    case 'jina'
        __jina_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'flow'
            __jina_parse_subcommand 0 'uses=' 'validate' 'json' 'version' 'h/help'
        case 'executor'
            __jina_parse_subcommand 0 'uses=' 'uses-with=' 'name=' 'replica-id=' 'shard-id=' 'workspace=' 'socket=' 'port=' 'host=' 'list' 'version' 'h/help'
        case 'gateway'
            __jina_parse_subcommand 0 'uses=' 'executor=+' 'host=' 'port=+' 'version' 'h/help'
        case 'ping'
            __jina_parse_subcommand 2 'timeout=' 'attempts=' 'min-successful-attempts=' 'json' 'version' 'h/help'
        case 'export'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'schema'
                __jina_parse_subcommand 0 'version' 'h/help'
            case 'kubernetes'
                __jina_parse_subcommand 0 'version' 'h/help'
            case 'docker-compose'
                __jina_parse_subcommand 0 'version' 'h/help'
            case 'graph'
                __jina_parse_subcommand 0 'version' 'h/help'
            end
        case 'help'
            __jina_parse_subcommand -r 1 'version'
        end
    end
end

function __jina_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __jina_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __jina_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __jina_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__jina_tokens -p)
    if test -z "$(__jina_tokens -t)"
        set -l index (count (__jina_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'jina' -f
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'flow' -d 'Validate a Flow YAML, or run the Flow it describes.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'executor' -d 'Serve one executor on a Unix socket or a TCP port.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'gateway' -d 'Serve a Flow\'s gateway in front of executors started elsewhere.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'ping' -d 'Check that a Flow, gateway or executor is ready.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'export' -d 'Export a Flow\'s JSON Schema, Kubernetes manifests, a compose file or a graph.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" uses' -l 'uses' -d 'The Flow YAML file (\'-\' reads standard input).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" validate' -l 'validate' -d 'Only validate the Flow and print its resolved graph.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" json' -l 'json' -d 'Print the result (graph and problems) as one JSON object on stdout.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" uses' -l 'uses' -d 'The built-in executor to serve (see --list).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" uses-with' -l 'uses-with' -d 'The executor\'s configuration, a JSON object.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" name' -l 'name' -d 'The executor\'s name in its Flow (default: executor).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" replica-id' -l 'replica-id' -d 'The replica number.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" shard-id' -l 'shard-id' -d 'The shard number.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" workspace' -l 'workspace' -d 'Parent directory of the executor\'s workspace.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" socket' -l 'socket' -d 'Listen on this Unix socket.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" port' -l 'port' -d 'Listen on this TCP port (0 picks a free one).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" host' -l 'host' -d 'The TCP host to bind, with --port (default: 0.0.0.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" list' -l 'list' -d 'List the built-in executors with their parameters, and exit.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" uses' -l 'uses' -d 'The Flow YAML file (\'-\' reads standard input).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway"' -l 'executor' -d 'Where an executor\'s replicas listen (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" host' -l 'host' -d 'Host to bind (default: the Flow\'s gateway host, 0.0.0.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway"' -l 'port' -d 'Port per protocol, in the Flow\'s protocol order (0 = a free port; repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina ping" -eq 1' -fka 'flow gateway executor'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" timeout' -l 'timeout' -d 'Time allowed per check: 3s, 500ms, or milliseconds; -1 waits forever.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" attempts' -l 'attempts' -d 'How many checks to make.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" min-successful-attempts' -l 'min-successful-attempts' -d 'Checks that must succeed for exit 0.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" json' -l 'json' -d 'Print one JSON object: target, kind, attempts, successes, ok, last_error, latency_ms.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'schema' -d 'Print the JSON Schema of Flow YAML (generated from the validator\'s own key tables).'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'kubernetes' -d 'Write Kubernetes manifests for a Flow.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'docker-compose' -d 'Write a docker-compose file for a Flow.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'graph' -d 'Print a Flow\'s graph as Mermaid or DOT.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export schema" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export schema" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graph" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graph" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina help" version' -l 'version' -d 'Show the version.'
