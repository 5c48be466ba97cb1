#!/bin/bash

__jina_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__jina_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__jina_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__jina_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_jina() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    flow|deployment|executor|gateway|ping|client|export|hub|help)
        # Offer subcommand argument completions
        "_jina_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'flow deployment executor gateway ping client export hub help' -- "${cur}"))
        ;;
    esac
}

_jina_flow() {
    repeating_flags=()
    non_repeating_flags=(--validate --json --reload --monitoring --quiet --lock --offline --hub-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--uses --token-env --token-file --ssl-certfile --ssl-keyfile --max-request-bytes --max-documents --idle-timeout --port-monitoring --python --log-format --log-level)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--ssl-certfile')
        return
        ;;
    '--ssl-keyfile')
        return
        ;;
    '--max-request-bytes')
        return
        ;;
    '--max-documents')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--port-monitoring')
        return
        ;;
    '--python')
        return
        ;;
    '--log-format')
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_jina_deployment() {
    repeating_flags=()
    non_repeating_flags=(--validate --quiet --offline --hub-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--uses --python --log-format --log-level)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        return
        ;;
    '--python')
        return
        ;;
    '--log-format')
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_jina_executor() {
    repeating_flags=()
    non_repeating_flags=(--list --monitoring --tracing --metrics --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--uses --uses-with --uses-dynamic-batching --exit-on-exceptions --name --replica-id --shard-id --workspace --socket --port --host --port-monitoring --traces-exporter-host --traces-exporter-port --traces-sampling-ratio --metrics-exporter-host --metrics-exporter-port --log-format --log-level)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        return
        ;;
    '--uses-with')
        return
        ;;
    '--uses-dynamic-batching')
        return
        ;;
    '--exit-on-exceptions')
        return
        ;;
    '--name')
        return
        ;;
    '--replica-id')
        return
        ;;
    '--shard-id')
        return
        ;;
    '--workspace')
        return
        ;;
    '--socket')
        return
        ;;
    '--port')
        return
        ;;
    '--host')
        return
        ;;
    '--port-monitoring')
        return
        ;;
    '--traces-exporter-host')
        return
        ;;
    '--traces-exporter-port')
        return
        ;;
    '--traces-sampling-ratio')
        return
        ;;
    '--metrics-exporter-host')
        return
        ;;
    '--metrics-exporter-port')
        return
        ;;
    '--log-format')
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_jina_gateway() {
    repeating_flags=()
    non_repeating_flags=(--monitoring --tracing --metrics --quiet --version -h --help)
    repeating_options=(--executor --port)
    non_repeating_options=(--uses --host --dns-refresh --token-env --token-file --ssl-certfile --ssl-keyfile --max-request-bytes --max-documents --idle-timeout --port-monitoring --traces-exporter-host --traces-exporter-port --traces-sampling-ratio --metrics-exporter-host --metrics-exporter-port --log-format --log-level)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        return
        ;;
    '--executor')
        return
        ;;
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--dns-refresh')
        return
        ;;
    '--token-env')
        return
        ;;
    '--token-file')
        return
        ;;
    '--ssl-certfile')
        return
        ;;
    '--ssl-keyfile')
        return
        ;;
    '--max-request-bytes')
        return
        ;;
    '--max-documents')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--port-monitoring')
        return
        ;;
    '--traces-exporter-host')
        return
        ;;
    '--traces-exporter-port')
        return
        ;;
    '--traces-sampling-ratio')
        return
        ;;
    '--metrics-exporter-host')
        return
        ;;
    '--metrics-exporter-port')
        return
        ;;
    '--log-format')
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_jina_ping() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--timeout --attempts --min-successful-attempts --token --token-env --ca)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--timeout')
        return
        ;;
    '--attempts')
        return
        ;;
    '--min-successful-attempts')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--ca')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -W 'flow'$'\n''gateway'$'\n''executor'
        return
        ;;
    esac
}

_jina_client() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    post)
        # Offer subcommand argument completions
        "_jina_client_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'post' -- "${cur}"))
        ;;
    esac
}

_jina_client_post() {
    repeating_flags=()
    non_repeating_flags=(--text --results --version -h --help)
    repeating_options=()
    non_repeating_options=(--host --endpoint --input --request-size --parameters --target-executor --in-flight --token --token-env --ca)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--endpoint')
        return
        ;;
    '--input')
        return
        ;;
    '--request-size')
        return
        ;;
    '--parameters')
        return
        ;;
    '--target-executor')
        return
        ;;
    '--in-flight')
        return
        ;;
    '--token')
        return
        ;;
    '--token-env')
        return
        ;;
    '--ca')
        return
        ;;
    esac
}

_jina_export() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    schema|kubernetes|docker-compose|graph|graphql-schema)
        # Offer subcommand argument completions
        "_jina_export_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'schema kubernetes docker-compose graph graphql-schema' -- "${cur}"))
        ;;
    esac
}

_jina_export_schema() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0
}

_jina_export_kubernetes() {
    repeating_flags=()
    non_repeating_flags=(--offline --hub-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--k8s-namespace --image --image-prefix --gateway-service-type)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--k8s-namespace')
        return
        ;;
    '--image')
        return
        ;;
    '--image-prefix')
        return
        ;;
    '--gateway-service-type')
        __jina_add_completions -W 'ClusterIP'$'\n''NodePort'$'\n''LoadBalancer'
        return
        ;;
    esac
}

_jina_export_docker-compose() {
    repeating_flags=()
    non_repeating_flags=(--offline --hub-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--image --image-prefix)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--image')
        return
        ;;
    '--image-prefix')
        return
        ;;
    esac
}

_jina_export_graph() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--format)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--format')
        __jina_add_completions -W 'mermaid'$'\n''dot'
        return
        ;;
    esac
}

_jina_export_graphql-schema() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0
}

_jina_hub() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    new|push|pull|list|inspect)
        # Offer subcommand argument completions
        "_jina_hub_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'new push pull list inspect' -- "${cur}"))
        ;;
    esac
}

_jina_hub_new() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--kind --output)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--kind')
        return
        ;;
    '--output')
        return
        ;;
    esac
}

_jina_hub_push() {
    repeating_flags=()
    non_repeating_flags=(--insecure --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--registry --tag --namespace --username)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--registry')
        return
        ;;
    '--tag')
        return
        ;;
    '--namespace')
        return
        ;;
    '--username')
        return
        ;;
    esac
}

_jina_hub_pull() {
    repeating_flags=()
    non_repeating_flags=(--insecure --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--output --username)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output')
        return
        ;;
    '--username')
        return
        ;;
    esac
}

_jina_hub_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0
}

_jina_hub_inspect() {
    repeating_flags=()
    non_repeating_flags=(--json --offline --insecure --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--username)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--username')
        return
        ;;
    esac
}

_jina_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options -1
}

complete -o filenames -F _jina jina
