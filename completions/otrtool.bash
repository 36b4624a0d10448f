#!/bin/bash

__otrtool_cursor_index_in_current_word() {
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
__otrtool_offer_flags_options() {
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

__otrtool_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__otrtool_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_otrtool() {
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
    __otrtool_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    decode|encode|parse-tag|fragment|keygen|fingerprint|convert-key|derive|forge|simulate|session|help)
        # Offer subcommand argument completions
        "_otrtool_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'decode encode parse-tag fragment keygen fingerprint convert-key derive forge simulate session help' -- "${cur}"))
        ;;
    esac
}

_otrtool_decode() {
    repeating_flags=()
    non_repeating_flags=(--json --show-keys --explain --version -h --help)
    repeating_options=(--aes-key --mac-key --dh-private --ake-secret --smp-exponent --smp-secret)
    non_repeating_options=(--max-line-length)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--aes-key')
        return
        ;;
    '--mac-key')
        return
        ;;
    '--dh-private')
        return
        ;;
    '--ake-secret')
        return
        ;;
    '--smp-exponent')
        return
        ;;
    '--smp-secret')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_encode() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __otrtool_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    json|query|tag|error|dh-commit|dh-key|data)
        # Offer subcommand argument completions
        "_otrtool_encode_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'json query tag error dh-commit dh-key data' -- "${cur}"))
        ;;
    esac
}

_otrtool_encode_json() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-line-length --xmpp-to --xmpp-from --aes-key --mac-key)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    '--aes-key')
        return
        ;;
    '--mac-key')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_encode_query() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--versions --text --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--versions')
        return
        ;;
    '--text')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_encode_tag() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--versions --text --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--versions')
        return
        ;;
    '--text')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_encode_error() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--text --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--text')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_encode_dh-commit() {
    repeating_flags=()
    non_repeating_flags=(--allow-violations --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--protocol-version --sender-instance --receiver-instance --dh-private --gx --r --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--protocol-version')
        return
        ;;
    '--sender-instance')
        return
        ;;
    '--receiver-instance')
        return
        ;;
    '--dh-private')
        return
        ;;
    '--gx')
        return
        ;;
    '--r')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_encode_dh-key() {
    repeating_flags=()
    non_repeating_flags=(--allow-violations --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--protocol-version --sender-instance --receiver-instance --dh-private --gy --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--protocol-version')
        return
        ;;
    '--sender-instance')
        return
        ;;
    '--receiver-instance')
        return
        ;;
    '--dh-private')
        return
        ;;
    '--gy')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_encode_data() {
    repeating_flags=()
    non_repeating_flags=(--allow-violations --json --version -h --help)
    repeating_options=(--tlv)
    non_repeating_options=(--protocol-version --sender-instance --receiver-instance --aes-key --mac-key --text --flags --sender-keyid --recipient-keyid --next-dh-key --counter --old-mac-keys --xmpp-to --xmpp-from)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--protocol-version')
        return
        ;;
    '--sender-instance')
        return
        ;;
    '--receiver-instance')
        return
        ;;
    '--aes-key')
        return
        ;;
    '--mac-key')
        return
        ;;
    '--text')
        return
        ;;
    '--tlv')
        return
        ;;
    '--flags')
        return
        ;;
    '--sender-keyid')
        return
        ;;
    '--recipient-keyid')
        return
        ;;
    '--next-dh-key')
        return
        ;;
    '--counter')
        return
        ;;
    '--old-mac-keys')
        return
        ;;
    '--xmpp-to')
        return
        ;;
    '--xmpp-from')
        return
        ;;
    esac
}

_otrtool_parse-tag() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-line-length --make-query --make-tag --text)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--make-query')
        return
        ;;
    '--make-tag')
        return
        ;;
    '--text')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_fragment() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __otrtool_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    split|join)
        # Offer subcommand argument completions
        "_otrtool_fragment_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'split join' -- "${cur}"))
        ;;
    esac
}

_otrtool_fragment_split() {
    repeating_flags=()
    non_repeating_flags=(--json -z --null --unpadded --whole --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-line-length --size --preset --form --sender --receiver)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--size')
        return
        ;;
    '--preset')
        __otrtool_add_completions -W 'irc'$'\n''xmpp'$'\n''aim'$'\n''icq'$'\n''oscar'$'\n''msn'$'\n''yahoo'$'\n''gg'$'\n''novell'
        return
        ;;
    '--form')
        __otrtool_add_completions -W 'auto'$'\n''v2'$'\n''v3'
        return
        ;;
    '--sender')
        return
        ;;
    '--receiver')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_fragment_join() {
    repeating_flags=()
    non_repeating_flags=(--json -z --null --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-line-length --max-message-length --max-pending)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--max-message-length')
        return
        ;;
    '--max-pending')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_keygen() {
    repeating_flags=()
    non_repeating_flags=(--replace --json --allow-terminal --version -h --help)
    repeating_options=()
    non_repeating_options=(--account --protocol --key-file --instance-tags --seed --insecure-seed)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--account')
        return
        ;;
    '--protocol')
        return
        ;;
    '--key-file')
        __otrtool_add_completions -f
        return
        ;;
    '--instance-tags')
        __otrtool_add_completions -f
        return
        ;;
    '--seed'|'--insecure-seed')
        return
        ;;
    esac
}

_otrtool_fingerprint() {
    repeating_flags=()
    non_repeating_flags=(--uri --json --version -h --help)
    repeating_options=(--public-key)
    non_repeating_options=(--account --protocol --expect --jid)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--public-key')
        return
        ;;
    '--account')
        return
        ;;
    '--protocol')
        return
        ;;
    '--expect')
        return
        ;;
    '--jid')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_convert-key() {
    repeating_flags=()
    non_repeating_flags=(--replace --allow-terminal --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--to --account --protocol -o --output)
    __otrtool_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--to')
        __otrtool_add_completions -W 'potr'$'\n''libotr'
        return
        ;;
    '--account')
        return
        ;;
    '--protocol')
        return
        ;;
    '-o'|'--output')
        __otrtool_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_derive() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __otrtool_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    session|mac-key)
        # Offer subcommand argument completions
        "_otrtool_derive_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'session mac-key' -- "${cur}"))
        ;;
    esac
}

_otrtool_derive_session() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--their-public)
    non_repeating_options=(--dh-private --ake-role)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--dh-private')
        return
        ;;
    '--their-public')
        return
        ;;
    '--ake-role')
        __otrtool_add_completions -W 'alice'$'\n''bob'
        return
        ;;
    esac
}

_otrtool_derive_mac-key() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--aes-key)
    non_repeating_options=()
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--aes-key')
        return
        ;;
    esac
}

_otrtool_forge() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __otrtool_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    reencrypt|modify|remac|transcript)
        # Offer subcommand argument completions
        "_otrtool_forge_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'reencrypt modify remac transcript' -- "${cur}"))
        ;;
    esac
}

_otrtool_forge_reencrypt() {
    repeating_flags=()
    non_repeating_flags=(--force --json --version -h --help)
    repeating_options=(--line --tlv)
    non_repeating_options=(--max-line-length --aes-key --mac-key --text --counter)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--line')
        return
        ;;
    '--aes-key')
        return
        ;;
    '--mac-key')
        return
        ;;
    '--text')
        return
        ;;
    '--tlv')
        return
        ;;
    '--counter')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_forge_modify() {
    repeating_flags=()
    non_repeating_flags=(--force --json --version -h --help)
    repeating_options=(--line)
    non_repeating_options=(--max-line-length --mac-key --old --new --old-hex --new-hex --offset)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--line')
        return
        ;;
    '--mac-key')
        return
        ;;
    '--old')
        return
        ;;
    '--new')
        return
        ;;
    '--old-hex')
        return
        ;;
    '--new-hex')
        return
        ;;
    '--offset')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_forge_remac() {
    repeating_flags=()
    non_repeating_flags=(--allow-violations --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--mac-key --protocol-version --sender-instance --receiver-instance --flags --sender-keyid --recipient-keyid --next-dh-key --counter --encrypted --old-mac-keys)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--mac-key')
        return
        ;;
    '--protocol-version')
        return
        ;;
    '--sender-instance')
        return
        ;;
    '--receiver-instance')
        return
        ;;
    '--flags')
        return
        ;;
    '--sender-keyid')
        return
        ;;
    '--recipient-keyid')
        return
        ;;
    '--next-dh-key')
        return
        ;;
    '--counter')
        return
        ;;
    '--encrypted')
        return
        ;;
    '--old-mac-keys')
        return
        ;;
    esac
}

_otrtool_forge_transcript() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--modify --rewrite --aes-key --mac-key)
    non_repeating_options=()
    __otrtool_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--modify')
        return
        ;;
    '--rewrite')
        return
        ;;
    '--aes-key')
        return
        ;;
    '--mac-key')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_simulate() {
    repeating_flags=()
    non_repeating_flags=(--wire-only --delivered --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-line-length --seed --alice-policy --bob-policy --protocol-version --fragment --key-file --alice-account --bob-account --protocol)
    __otrtool_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--max-line-length')
        return
        ;;
    '--seed')
        return
        ;;
    '--alice-policy')
        __otrtool_add_completions -W 'never'$'\n''manual'$'\n''opportunistic'$'\n''always'
        return
        ;;
    '--bob-policy')
        __otrtool_add_completions -W 'never'$'\n''manual'$'\n''opportunistic'$'\n''always'
        return
        ;;
    '--protocol-version')
        return
        ;;
    '--fragment')
        return
        ;;
    '--key-file')
        __otrtool_add_completions -f
        return
        ;;
    '--alice-account')
        return
        ;;
    '--bob-account')
        return
        ;;
    '--protocol')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __otrtool_add_completions -f
        return
        ;;
    esac
}

_otrtool_session() {
    repeating_flags=()
    non_repeating_flags=(--show-secrets --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--key-file --account --protocol --peer --policy --instance-tag --instance-tags --fingerprints --fragment --clock --max-line-length --insecure-seed)
    __otrtool_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--key-file')
        __otrtool_add_completions -f
        return
        ;;
    '--account')
        return
        ;;
    '--protocol')
        return
        ;;
    '--peer')
        return
        ;;
    '--policy')
        __otrtool_add_completions -W 'never'$'\n''manual'$'\n''opportunistic'$'\n''always'
        return
        ;;
    '--instance-tag')
        return
        ;;
    '--instance-tags')
        __otrtool_add_completions -f
        return
        ;;
    '--fingerprints')
        __otrtool_add_completions -f
        return
        ;;
    '--fragment')
        return
        ;;
    '--clock')
        __otrtool_add_completions -W 'real'$'\n''virtual'
        return
        ;;
    '--max-line-length')
        return
        ;;
    '--insecure-seed')
        return
        ;;
    esac
}

_otrtool_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __otrtool_offer_flags_options -1
}

complete -o filenames -F _otrtool otrtool
