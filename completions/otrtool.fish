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
        case 'decode'
            __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'aes-key=+' 'mac-key=+' 'dh-private=+' 'ake-secret=+' 'show-keys' 'version' 'h/help'
        case 'encode'
            __otrtool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'json'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'xmpp-to=' 'xmpp-from=' 'aes-key=' 'mac-key=' 'version' 'h/help'
            case 'query'
                __otrtool_parse_subcommand 0 'versions=' 'text=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            case 'tag'
                __otrtool_parse_subcommand 0 'versions=' 'text=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            case 'error'
                __otrtool_parse_subcommand 0 'text=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            case 'dh-commit'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'dh-private=' 'gx=' 'r=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            case 'dh-key'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'dh-private=' 'gy=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            case 'data'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'aes-key=' 'mac-key=' 'text=' 'tlv=+' 'flags=' 'sender-keyid=' 'recipient-keyid=' 'next-dh-key=' 'counter=' 'old-mac-keys=' 'xmpp-to=' 'xmpp-from=' 'version' 'h/help'
            end
        case 'parse-tag'
            __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'make-query=' 'make-tag=' 'text=' 'version' 'h/help'
        case 'fragment'
            __otrtool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'split'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'z/null' 'size=' 'preset=' 'form=' 'sender=' 'receiver=' 'unpadded' 'whole' 'version' 'h/help'
            case 'join'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'z/null' 'max-message-length=' 'max-pending=' 'version' 'h/help'
            end
        case 'keygen'
            __otrtool_parse_subcommand 0 'account=' 'protocol=' 'key-file=' 'replace' 'instance-tags=' 'seed=' 'json' 'version' 'h/help'
        case 'fingerprint'
            __otrtool_parse_subcommand -r 1 'public-key=+' 'account=' 'protocol=' 'expect=' 'uri' 'jid=' 'json' 'version' 'h/help'
        case 'convert-key'
            __otrtool_parse_subcommand 1 'to=' 'account=' 'protocol=' 'o/output=' 'replace' 'version' 'h/help'
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
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'decode' -d 'Show every field of every OTR message in the input; verify, decrypt and check with given keys.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'encode' -d 'Build OTR messages from JSON (what decode --json prints) or from fields.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'parse-tag' -d 'Report the OTR offers in plaintext: whitespace tags, query and error messages.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'fragment' -d 'Split messages into OTR fragments as libotr does; reassemble fragments and explain what is broken.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'keygen' -d 'Generate an OTR long-term key (DSA, 1024-bit p, 160-bit q) in libotr\'s key file format.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'fingerprint' -d 'Print OTR fingerprints of key files, public keys and otr.fingerprints files.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'convert-key' -d 'Convert a long-term key between libotr\'s key file and python-potr\'s key serialisation.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool decode" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'aes-key' -d 'A 16-byte data-message AES key (its MAC key is SHA-1 of it).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'mac-key' -d 'A 20-byte data-message MAC key, to verify without decrypting.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'dh-private' -d 'A D-H private exponent of either party; AKE and data keys are derived from it and the public values in the input.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'ake-secret' -d 'An AKE\'s D-H shared secret s (the MPI value, without its length).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" show-keys' -l 'show-keys' -d 'Print the keys used and derived (AES, MAC, AKE keys).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'json' -d 'Build messages from JSON Lines (the default).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'query' -d 'A query message offering the given versions.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'tag' -d 'Plaintext followed by the whitespace tag for the given versions.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'error' -d 'An OTR error message.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'dh-commit' -d 'A D-H Commit: AES(r, g^x) and SHA-256(g^x) from g^x (or x) and r.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'dh-key' -d 'A D-H Key message carrying g^y (or g^y from y).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode" -eq 1' -fa 'data' -d 'A Data message: TEXT and TLVs encrypted under an AES key and MACed, with libotr\'s layout.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool encode json" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" aes-key' -l 'aes-key' -d 'Re-encrypt Data messages that carry a plaintext with this 16-byte AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" mac-key' -l 'mac-key' -d 'Re-MAC Data messages with this 20-byte MAC key (default with --aes-key: SHA-1 of it).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" versions' -l 'versions' -d 'Versions to offer, e.g. 23 or 1,2.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" text' -l 'text' -d 'Human-readable text after the query.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" versions' -l 'versions' -d 'Versions to offer, e.g. 23.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" text' -l 'text' -d 'The plaintext the tag is appended to.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" text' -l 'text' -d 'The human-readable error text.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" dh-private' -l 'dh-private' -d 'The committer\'s D-H private exponent x.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" gx' -l 'gx' -d 'g^x in hex, instead of x.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" r' -l 'r' -d 'The 16-byte key r (default: random).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" dh-private' -l 'dh-private' -d 'The D-H private exponent y.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" gy' -l 'gy' -d 'g^y in hex, instead of y.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" aes-key' -l 'aes-key' -d 'The 16-byte sending AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" mac-key' -l 'mac-key' -d 'The 20-byte MAC key (default: SHA-1 of the AES key).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" text' -l 'text' -d 'The human-readable message.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data"' -l 'tlv' -d 'A TLV as TYPE:HEXVALUE (e.g. 1: for Disconnected); repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" flags' -l 'flags' -d 'Flags byte (1 = IGNORE_UNREADABLE).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" sender-keyid' -l 'sender-keyid' -d 'Sender keyid.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" recipient-keyid' -l 'recipient-keyid' -d 'Recipient keyid.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" next-dh-key' -l 'next-dh-key' -d 'The sender\'s next D-H public key, hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" counter' -l 'counter' -d 'Top half of the counter, 16 hex digits.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" old-mac-keys' -l 'old-mac-keys' -d 'Old MAC keys to reveal, concatenated hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool parse-tag" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" make-query' -l 'make-query' -d 'Print the query message offering these versions (e.g. 23, 123) and exit.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" make-tag' -l 'make-tag' -d 'Print TEXT followed by the whitespace tag offering these versions (e.g. 23), and exit. The text comes from --text.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" text' -l 'text' -d 'The plaintext a tag is appended to, with --make-tag.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool parse-tag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool fragment" -eq 1' -fa 'split' -d 'Split each input line (or each whole input with --whole) into fragments.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool fragment" -eq 1' -fa 'join' -d 'Reassemble fragments, print each completed message, report what is broken.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool fragment split" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" null z' -s 'z' -l 'null' -d 'Records (input messages, output fragments and messages) end with NUL instead of newline.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" size' -l 'size' -d 'Maximum message size of the network, in bytes.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" preset' -l 'preset' -d 'A network\'s maximum message size: irc, xmpp, aim, icq, oscar, msn, yahoo, gg, novell.' -rfka 'irc xmpp aim icq oscar msn yahoo gg novell'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" form' -l 'form' -d 'Fragment form: auto (from the message header), v2 or v3.' -rfka 'auto v2 v3'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" sender' -l 'sender' -d 'Sender instance tag of v3 fragments (hex).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" receiver' -l 'receiver' -d 'Receiver instance tag of v3 fragments (hex).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" unpadded' -l 'unpadded' -d 'Write k, n and tags without zero padding, as python-potr does.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" whole' -l 'whole' -d 'Each input is one message (one trailing newline removed), not one per line.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment split" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool fragment join" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" null z' -s 'z' -l 'null' -d 'Records (input messages, output fragments and messages) end with NUL instead of newline.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" max-message-length' -l 'max-message-length' -d 'Largest message reassembled, in bytes.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" max-pending' -l 'max-pending' -d 'Messages in progress at once; beyond it the oldest is dropped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fragment join" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" account' -l 'account' -d 'The account name, e.g. alice@example.org.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" protocol' -l 'protocol' -d 'The protocol as the client names it, e.g. prpl-jabber, prpl-irc, xmpp.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" key-file' -l 'key-file' -d 'Add the key to this libotr private key file (created when missing).' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" replace' -l 'replace' -d 'Replace the account\'s existing key (and instance tag) instead of refusing.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" instance-tags' -l 'instance-tags' -d 'Also record an instance tag for the account in this otr.instance_tags file.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" insecure-seed seed' -l 'seed' -l 'insecure-seed' -d 'INSECURE: derive the key from this text, reproducibly, for test vectors.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool fingerprint" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint"' -l 'public-key' -d 'A public key in OTR encoding, hex or base64 ("-": read it from standard input).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" account' -l 'account' -d 'Only keys and entries of this account.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" protocol' -l 'protocol' -d 'Only keys and entries of this protocol.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" expect' -l 'expect' -d 'Exit 1 unless a key has this fingerprint (spaces and case are ignored).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" uri' -l 'uri' -d 'Print xmpp:JID?otr-fingerprint=HEX URIs (XEP-0364) instead of fingerprints.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" jid' -l 'jid' -d 'The JID for --uri when the key names no account.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool fingerprint" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" to' -l 'to' -d 'The format to write.' -rfka 'potr libotr'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool convert-key" -eq 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" account' -l 'account' -d 'The account name.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" protocol' -l 'protocol' -d 'The protocol, e.g. prpl-jabber.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" o output' -s 'o' -l 'output' -d 'Write here instead of standard output.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" replace' -l 'replace' -d 'Replace an existing output file (potr) or account (libotr).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool help" version' -l 'version' -d 'Show the version.'
