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
            __jina_parse_subcommand 0 'uses=' 'validate' 'json' 'token-env=' 'token-file=' 'ssl-certfile=' 'ssl-keyfile=' 'max-request-bytes=' 'max-documents=' 'idle-timeout=' 'reload' 'monitoring' 'port-monitoring=' 'python=' 'log-format=' 'log-level=' 'quiet' 'lock' 'offline' 'hub-insecure' 'version' 'h/help'
        case 'deployment'
            __jina_parse_subcommand 0 'uses=' 'validate' 'python=' 'log-format=' 'log-level=' 'quiet' 'offline' 'hub-insecure' 'version' 'h/help'
        case 'executor'
            __jina_parse_subcommand 0 'uses=' 'uses-with=' 'uses-dynamic-batching=' 'exit-on-exceptions=' 'name=' 'replica-id=' 'shard-id=' 'workspace=' 'socket=' 'port=' 'host=' 'list' 'monitoring' 'port-monitoring=' 'tracing' 'traces-exporter-host=' 'traces-exporter-port=' 'traces-sampling-ratio=' 'metrics' 'metrics-exporter-host=' 'metrics-exporter-port=' 'log-format=' 'log-level=' 'quiet' 'version' 'h/help'
        case 'gateway'
            __jina_parse_subcommand 0 'uses=' 'executor=+' 'host=' 'port=+' 'dns-refresh=' 'token-env=' 'token-file=' 'ssl-certfile=' 'ssl-keyfile=' 'max-request-bytes=' 'max-documents=' 'idle-timeout=' 'monitoring' 'port-monitoring=' 'tracing' 'traces-exporter-host=' 'traces-exporter-port=' 'traces-sampling-ratio=' 'metrics' 'metrics-exporter-host=' 'metrics-exporter-port=' 'log-format=' 'log-level=' 'quiet' 'version' 'h/help'
        case 'ping'
            __jina_parse_subcommand 2 'timeout=' 'attempts=' 'min-successful-attempts=' 'token=' 'token-env=' 'ca=' 'json' 'version' 'h/help'
        case 'client'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'post'
                __jina_parse_subcommand 0 'host=' 'endpoint=' 'input=' 'text' 'request-size=' 'parameters=' 'target-executor=' 'in-flight=' 'results' 'token=' 'token-env=' 'ca=' 'version' 'h/help'
            end
        case 'export'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'schema'
                __jina_parse_subcommand 0 'version' 'h/help'
            case 'kubernetes'
                __jina_parse_subcommand 2 'k8s-namespace=' 'image=' 'image-prefix=' 'gateway-service-type=' 'offline' 'hub-insecure' 'version' 'h/help'
            case 'docker-compose'
                __jina_parse_subcommand 2 'image=' 'image-prefix=' 'offline' 'hub-insecure' 'version' 'h/help'
            case 'graph'
                __jina_parse_subcommand 2 'format=' 'version' 'h/help'
            case 'graphql-schema'
                __jina_parse_subcommand 0 'version' 'h/help'
            end
        case 'hub'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'new'
                __jina_parse_subcommand 1 'kind=' 'output=' 'version' 'h/help'
            case 'push'
                __jina_parse_subcommand 1 'registry=' 'tag=' 'namespace=' 'insecure' 'username=' 'password-stdin' 'version' 'h/help'
            case 'pull'
                __jina_parse_subcommand 1 'output=' 'insecure' 'username=' 'password-stdin' 'version' 'h/help'
            case 'list'
                __jina_parse_subcommand 0 'json' 'version' 'h/help'
            case 'inspect'
                __jina_parse_subcommand 1 'json' 'offline' 'insecure' 'username=' 'password-stdin' 'version' 'h/help'
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
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'deployment' -d 'Validate a Deployment YAML, or run the Deployment it describes.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'executor' -d 'Serve one executor on a Unix socket or a TCP port.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'gateway' -d 'Serve a Flow\'s gateway in front of executors started elsewhere.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'ping' -d 'Check that a Flow, gateway or executor is ready.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'client' -d 'Send documents to a running Flow from the shell.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'export' -d 'Export a Flow\'s JSON Schema, Kubernetes manifests, a compose file or a graph, or the gateway\'s GraphQL schema.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'hub' -d 'Publish executors to an OCI registry, pull them into the local cache, and inspect them.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" uses' -l 'uses' -d 'The Flow YAML file (\'-\' reads standard input).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" validate' -l 'validate' -d 'Only validate the Flow and print its resolved graph.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" json' -l 'json' -d 'Print the result (graph and problems) as one JSON object on stdout.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" token-env' -l 'token-env' -d 'Demand `Authorization: Bearer TOKEN`; the accepted tokens are in this environment variable (comma-separated).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" token-file' -l 'token-file' -d 'Demand a bearer token; the accepted tokens are in this file, one per line (# comments).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" ssl-certfile' -l 'ssl-certfile' -d 'TLS certificate (PEM) for every protocol: grpcs, https, wss (with --ssl-keyfile).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" ssl-keyfile' -l 'ssl-keyfile' -d 'TLS private key (PEM) of --ssl-certfile.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" max-request-bytes' -l 'max-request-bytes' -d 'Largest request accepted, in bytes (default 67108864 = 64 MiB).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" max-documents' -l 'max-documents' -d 'Most documents in one request; 0 = no limit (default 100000).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" idle-timeout' -l 'idle-timeout' -d 'Milliseconds a client connection may stay idle before it is closed; 0 = never (default 60000).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" reload' -l 'reload' -d 'Restart the Flow when its file changes and still validates, as `reload: true` under `with:` does.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" monitoring' -l 'monitoring' -d 'Monitor every process, as `monitoring: true` under `with:` does.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" port-monitoring' -l 'port-monitoring' -d 'Port of the Flow\'s aggregated /metrics (every process\'s metrics, labelled; 0 = a free port).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" python' -l 'python' -d 'Interpreter of Python executors (JINA_PYTHON wins; default: the first python3 on PATH). It must import jina 3.x.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" log-format' -l 'log-format' -d 'Log lines as text, or json (one object per line).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" log-level' -l 'log-level' -d 'The lowest level logged: debug, info, warning, error, critical (default: JINA_LOG_LEVEL, else info).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" quiet' -l 'quiet' -d 'Log errors only.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" lock' -l 'lock' -d 'Resolve every Hub reference (jinaai://…) at its registry and write the digests to flow.lock next to the Flow; with --validate, only that.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" offline' -l 'offline' -d 'Never contact a Hub registry: Hub packages must be in the local cache (exit 1 naming the reference when one is not).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" hub-insecure' -l 'hub-insecure' -d 'Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" uses' -l 'uses' -d 'The Deployment YAML file (\'-\' reads standard input).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" validate' -l 'validate' -d 'Only validate the Deployment and print the executor it runs.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" python' -l 'python' -d 'Interpreter of a Python executor (JINA_PYTHON wins; default: the first python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" log-format' -l 'log-format' -d 'Log lines as text, or json (one object per line).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" log-level' -l 'log-level' -d 'The lowest level logged: debug, info, warning, error, critical (default: JINA_LOG_LEVEL, else info).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" quiet' -l 'quiet' -d 'Log errors only.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" offline' -l 'offline' -d 'Never contact a Hub registry: a Hub package (uses: jinaai://…) must be in the local cache.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" hub-insecure' -l 'hub-insecure' -d 'Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina deployment" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" uses' -l 'uses' -d 'The built-in executor to serve (see --list).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" uses-with' -l 'uses-with' -d 'The executor\'s configuration, a JSON object.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" uses-dynamic-batching' -l 'uses-dynamic-batching' -d 'Dynamic batching per endpoint or handler name, a JSON object (Flow YAML\'s uses_dynamic_batching).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" exit-on-exceptions' -l 'exit-on-exceptions' -d 'Error type names (comma-separated) on which the process exits (status 1) instead of replying.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" name' -l 'name' -d 'The executor\'s name in its Flow (default: executor).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" replica-id' -l 'replica-id' -d 'The replica number.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" shard-id' -l 'shard-id' -d 'The shard number.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" workspace' -l 'workspace' -d 'Parent directory of the executor\'s workspace.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" socket' -l 'socket' -d 'Listen on this Unix socket.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" port' -l 'port' -d 'Listen on this TCP port (0 picks a free one).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" host' -l 'host' -d 'The TCP host to bind, with --port (default: 0.0.0.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" list' -l 'list' -d 'List the built-in executors with their parameters, and exit.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" monitoring' -l 'monitoring' -d 'Serve Prometheus metrics (GET /metrics).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" port-monitoring' -l 'port-monitoring' -d 'Port of the metrics endpoint (0 = a free port; implies --monitoring).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" tracing' -l 'tracing' -d 'Send OpenTelemetry spans to an OTLP/gRPC collector.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" traces-exporter-host' -l 'traces-exporter-host' -d 'The collector\'s host (https:// for TLS; default localhost).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" traces-exporter-port' -l 'traces-exporter-port' -d 'The collector\'s port (default 4317).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" traces-sampling-ratio' -l 'traces-sampling-ratio' -d 'Share of requests traced without a traced caller (0-1, default 1).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" metrics' -l 'metrics' -d 'Send the Prometheus endpoint\'s metrics to an OTLP/gRPC collector too.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" metrics-exporter-host' -l 'metrics-exporter-host' -d 'The metrics collector\'s host (https:// for TLS; default localhost).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" metrics-exporter-port' -l 'metrics-exporter-port' -d 'The metrics collector\'s port (default 4317).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" log-format' -l 'log-format' -d 'Log lines as text, or json (one object per line).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" log-level' -l 'log-level' -d 'The lowest level logged: debug, info, warning, error, critical (default: JINA_LOG_LEVEL, else info).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" quiet' -l 'quiet' -d 'Log errors only.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" uses' -l 'uses' -d 'The Flow YAML file (\'-\' reads standard input).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway"' -l 'executor' -d 'Where an executor\'s replicas listen (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" host' -l 'host' -d 'Host to bind (default: the Flow\'s gateway host, 0.0.0.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway"' -l 'port' -d 'Port per protocol, in the Flow\'s protocol order (0 = a free port; repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" dns-refresh' -l 'dns-refresh' -d 'Seconds between lookups of the addresses behind dns:// executors (default 30; they are also looked up when every replica failed).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" token-env' -l 'token-env' -d 'Demand `Authorization: Bearer TOKEN`; the accepted tokens are in this environment variable (comma-separated).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" token-file' -l 'token-file' -d 'Demand a bearer token; the accepted tokens are in this file, one per line (# comments).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" ssl-certfile' -l 'ssl-certfile' -d 'TLS certificate (PEM) for every protocol: grpcs, https, wss (with --ssl-keyfile).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" ssl-keyfile' -l 'ssl-keyfile' -d 'TLS private key (PEM) of --ssl-certfile.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" max-request-bytes' -l 'max-request-bytes' -d 'Largest request accepted, in bytes (default 67108864 = 64 MiB).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" max-documents' -l 'max-documents' -d 'Most documents in one request; 0 = no limit (default 100000).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" idle-timeout' -l 'idle-timeout' -d 'Milliseconds a client connection may stay idle before it is closed; 0 = never (default 60000).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" monitoring' -l 'monitoring' -d 'Serve Prometheus metrics (GET /metrics).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" port-monitoring' -l 'port-monitoring' -d 'Port of the metrics endpoint (0 = a free port; implies --monitoring).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" tracing' -l 'tracing' -d 'Send OpenTelemetry spans to an OTLP/gRPC collector.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" traces-exporter-host' -l 'traces-exporter-host' -d 'The collector\'s host (https:// for TLS; default localhost).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" traces-exporter-port' -l 'traces-exporter-port' -d 'The collector\'s port (default 4317).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" traces-sampling-ratio' -l 'traces-sampling-ratio' -d 'Share of requests traced without a traced caller (0-1, default 1).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" metrics' -l 'metrics' -d 'Send the Prometheus endpoint\'s metrics to an OTLP/gRPC collector too.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" metrics-exporter-host' -l 'metrics-exporter-host' -d 'The metrics collector\'s host (https:// for TLS; default localhost).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" metrics-exporter-port' -l 'metrics-exporter-port' -d 'The metrics collector\'s port (default 4317).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" log-format' -l 'log-format' -d 'Log lines as text, or json (one object per line).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" log-level' -l 'log-level' -d 'The lowest level logged: debug, info, warning, error, critical (default: JINA_LOG_LEVEL, else info).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" quiet' -l 'quiet' -d 'Log errors only.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina gateway" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina ping" -eq 1' -fka 'flow gateway executor'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" timeout' -l 'timeout' -d 'Time allowed per check: 3s, 500ms, or milliseconds; -1 waits forever.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" attempts' -l 'attempts' -d 'How many checks to make.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" min-successful-attempts' -l 'min-successful-attempts' -d 'Checks that must succeed for exit 0.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" token' -l 'token' -d 'Bearer token for a gateway that demands one (visible in `ps`; prefer --token-env).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" token-env' -l 'token-env' -d 'Read the bearer token from this environment variable.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" ca' -l 'ca' -d 'PEM file of the CA to trust for grpcs://, https:// and wss:// (default: the system trust store).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" json' -l 'json' -d 'Print one JSON object: target, kind, attempts, successes, ok, last_error, latency_ms.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina client" -eq 1' -fa 'post' -d 'Send documents (JSON lines) to an endpoint and print the results as JSON lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" host' -l 'host' -d 'The gateway: grpc[s]://, http[s]://, ws[s]:// HOST:PORT, unix:///PATH or HOST:PORT.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" endpoint' -l 'endpoint' -d 'The endpoint to call, e.g. /index.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" input' -l 'input' -d 'Input file of JSON lines; - reads stdin.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" text' -l 'text' -d 'Each input line is plain text: it becomes {"text": LINE}.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" request-size' -l 'request-size' -d 'Documents per request.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" parameters' -l 'parameters' -d 'Parameters for the executors, a JSON object.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" target-executor' -l 'target-executor' -d 'Only run this executor of the Flow.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" in-flight' -l 'in-flight' -d 'Requests outstanding at once.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" results' -l 'results' -d 'Print what executors returned (parameters.__results__, summed over shards) as one JSON object instead of the documents.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" token' -l 'token' -d 'Bearer token for a gateway that demands one (visible in `ps`; prefer --token-env).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" token-env' -l 'token-env' -d 'Read the bearer token from this environment variable.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" ca' -l 'ca' -d 'PEM file of the CA to trust for grpcs://, https:// and wss:// (default: the system trust store).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'schema' -d 'Print the JSON Schema of Flow YAML (generated from the validator\'s own key tables).'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'kubernetes' -d 'Write Kubernetes manifests for a Flow.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'docker-compose' -d 'Write a docker-compose file for a Flow.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'graph' -d 'Print a Flow\'s graph as Mermaid or DOT.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'graphql-schema' -d 'Print the schema of the gateway\'s /graphql endpoint (expose_graphql_endpoint) in GraphQL\'s SDL.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export schema" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export schema" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" k8s-namespace' -l 'k8s-namespace' -d 'Namespace (default: the Flow\'s name, else default).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" image' -l 'image' -d 'Image of the gateway and built-in executors (default: jina:0.1.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" image-prefix' -l 'image-prefix' -d 'Registry and path put before the image names of Python executors (each gets a Dockerfile.<name>).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" gateway-service-type' -l 'gateway-service-type' -d 'Type of the gateway\'s Services: ClusterIP, NodePort or LoadBalancer.' -rfka 'ClusterIP NodePort LoadBalancer'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" offline' -l 'offline' -d 'Never contact a Hub registry: every Hub package (the locked digest, else the tag\'s last pull) must be in the cache.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" hub-insecure' -l 'hub-insecure' -d 'Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" image' -l 'image' -d 'Image of the gateway and built-in executors (default: jina:0.1.0).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" image-prefix' -l 'image-prefix' -d 'Registry and path put before the image names of Python executors (each gets a Dockerfile.<name>).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" offline' -l 'offline' -d 'Never contact a Hub registry: every Hub package (the locked digest, else the tag\'s last pull) must be in the cache.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" hub-insecure' -l 'hub-insecure' -d 'Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graph" format' -l 'format' -d 'mermaid or dot.' -rfka 'mermaid dot'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graph" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graph" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graphql-schema" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export graphql-schema" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina hub" -eq 1' -fa 'new' -d 'Create a package folder: a Python executor in Jina Hub\'s layout, or a Swift program.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina hub" -eq 1' -fa 'push' -d 'Pack a package folder as an OCI artifact and push it; print its reference and digest.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina hub" -eq 1' -fa 'pull' -d 'Pull a package into the local cache (digests checked); print its reference and folder.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina hub" -eq 1' -fa 'list' -d 'List the packages in the local Hub cache (JINA_HUB_CACHE, else ~/.cache/jina/hub).'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina hub" -eq 1' -fa 'inspect' -d 'Show a package\'s manifest, files, size and digest (pulled into the cache first if it is not there).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub new" kind' -l 'kind' -d 'python or program.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub new" output' -l 'output' -d 'The folder to create (default: ./NAME); it must not exist or be empty.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub new" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub new" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" registry' -l 'registry' -d 'The registry, HOST[:PORT] (default: JINA_HUB_REGISTRY).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" tag' -l 'tag' -d 'The tag (default: manifest.yml\'s version, else latest).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" namespace' -l 'namespace' -d 'The namespace (default: JINA_HUB_NAMESPACE, else the user name).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" insecure' -l 'insecure' -d 'Speak plain HTTP to a registry on this machine (localhost, 127.x.x.x, [::1]) instead of HTTPS (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" username' -l 'username' -d 'User name at the registry (default: JINA_HUB_USERNAME, else the Docker config\'s `docker login`).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" password-stdin' -l 'password-stdin' -d 'Read the password or token from standard input (with --username).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub push" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" output' -l 'output' -d 'Also copy the package\'s files into this folder (created; must be empty if it exists).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" insecure' -l 'insecure' -d 'Speak plain HTTP to a registry on this machine (localhost, 127.x.x.x, [::1]) instead of HTTPS (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" username' -l 'username' -d 'User name at the registry (default: JINA_HUB_USERNAME, else the Docker config\'s `docker login`).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" password-stdin' -l 'password-stdin' -d 'Read the password or token from standard input (with --username).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub pull" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub list" json' -l 'json' -d 'Print one JSON array instead of a table.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub list" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" json' -l 'json' -d 'Print the cache\'s record of the package as JSON.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" offline' -l 'offline' -d 'Only look in the cache; fail when the package is not there.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" insecure' -l 'insecure' -d 'Speak plain HTTP to a registry on this machine (localhost, 127.x.x.x, [::1]) instead of HTTPS (also JINA_HUB_INSECURE=1).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" username' -l 'username' -d 'User name at the registry (default: JINA_HUB_USERNAME, else the Docker config\'s `docker login`).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" password-stdin' -l 'password-stdin' -d 'Read the password or token from standard input (with --username).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hub inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina help" version' -l 'version' -d 'Show the version.'
