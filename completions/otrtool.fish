function __otrtool_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __otrtool_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __otrtool_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __otrtool_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __otrtool_parse_tokens -S
    set -l unparsed_tokens (__otrtool_tokens -pc)
    switch $unparsed_tokens[1]
    case 'otrtool'
        __otrtool_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'parse-tag'
            __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'make-query=' 'make-tag=' 'text=' 'version' 'h/help'
        case 'help'
            __otrtool_parse_subcommand -r 1 'version'
        end
    end
end

function __otrtool_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __otrtool_parse_subcommand -S -a positional_count
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

function __otrtool_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __otrtool_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__otrtool_tokens -p)
    if test -z "$(__otrtool_tokens -t)"
        set -l index (count (__otrtool_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'otrtool' -f
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'parse-tag' -d 'Report the OTR offers in plaintext: whitespace tags, query and error messages.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool parse-tag" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" make-query' -l 'make-query' -d 'Print the query message offering these versions (e.g. 23, 123) and exit.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" make-tag' -l 'make-tag' -d 'Print TEXT followed by the whitespace tag offering these versions (e.g. 23), and exit. The text comes from --text.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" text' -l 'text' -d 'The plaintext a tag is appended to, with --make-tag.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool help" version' -l 'version' -d 'Show the version.'
