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
            __otrtool_parse_subcommand -r 1 'max-line-length=' 'json' 'aes-key=+' 'mac-key=+' 'dh-private=+' 'ake-secret=+' 'smp-exponent=+' 'smp-secret=+' 'show-keys' 'explain' 'version' 'h/help'
        case 'encode'
            __otrtool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'json'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'xmpp-to=' 'xmpp-from=' 'json' 'aes-key=' 'mac-key=' 'version' 'h/help'
            case 'query'
                __otrtool_parse_subcommand 0 'versions=' 'text=' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
            case 'tag'
                __otrtool_parse_subcommand 0 'versions=' 'text=' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
            case 'error'
                __otrtool_parse_subcommand 0 'text=' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
            case 'dh-commit'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'dh-private=' 'gx=' 'r=' 'allow-violations' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
            case 'dh-key'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'dh-private=' 'gy=' 'allow-violations' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
            case 'data'
                __otrtool_parse_subcommand 0 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'aes-key=' 'mac-key=' 'text=' 'tlv=+' 'flags=' 'sender-keyid=' 'recipient-keyid=' 'next-dh-key=' 'counter=' 'old-mac-keys=' 'allow-violations' 'xmpp-to=' 'xmpp-from=' 'json' 'version' 'h/help'
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
            __otrtool_parse_subcommand 0 'account=' 'protocol=' 'key-file=' 'replace' 'instance-tags=' 'seed=' 'json' 'allow-terminal' 'version' 'h/help'
        case 'fingerprint'
            __otrtool_parse_subcommand -r 1 'public-key=+' 'account=' 'protocol=' 'expect=' 'uri' 'jid=' 'json' 'version' 'h/help'
        case 'convert-key'
            __otrtool_parse_subcommand 1 'to=' 'account=' 'protocol=' 'o/output=' 'replace' 'allow-terminal' 'json' 'version' 'h/help'
        case 'derive'
            __otrtool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'session'
                __otrtool_parse_subcommand 0 'dh-private=' 'their-public=+' 'ake-role=' 'json' 'version' 'h/help'
            case 'mac-key'
                __otrtool_parse_subcommand 0 'aes-key=+' 'json' 'version' 'h/help'
            end
        case 'forge'
            __otrtool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'reencrypt'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'line=+' 'aes-key=' 'mac-key=' 'text=' 'tlv=+' 'counter=' 'force' 'json' 'version' 'h/help'
            case 'modify'
                __otrtool_parse_subcommand -r 1 'max-line-length=' 'line=+' 'mac-key=' 'old=' 'new=' 'old-hex=' 'new-hex=' 'offset=' 'force' 'json' 'version' 'h/help'
            case 'remac'
                __otrtool_parse_subcommand 0 'mac-key=' 'protocol-version=' 'sender-instance=' 'receiver-instance=' 'flags=' 'sender-keyid=' 'recipient-keyid=' 'next-dh-key=' 'counter=' 'encrypted=' 'old-mac-keys=' 'allow-violations' 'json' 'version' 'h/help'
            case 'transcript'
                __otrtool_parse_subcommand 1 'modify=+' 'rewrite=+' 'aes-key=+' 'mac-key=+' 'json' 'version' 'h/help'
            end
        case 'simulate'
            __otrtool_parse_subcommand -r 1 'max-line-length=' 'seed=' 'alice-policy=' 'bob-policy=' 'protocol-version=' 'fragment=' 'key-file=' 'alice-account=' 'bob-account=' 'protocol=' 'wire-only' 'delivered' 'json' 'version' 'h/help'
        case 'session'
            __otrtool_parse_subcommand 0 'key-file=' 'account=' 'protocol=' 'peer=' 'policy=' 'instance-tag=' 'instance-tags=' 'fingerprints=' 'fragment=' 'clock=' 'max-line-length=' 'show-secrets' 'insecure-seed=' 'json' 'version' 'h/help'
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
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'fingerprint' -d 'Print OTR fingerprints of key files, public keys and otr.fingerprints files; list otr.instance_tags files.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'convert-key' -d 'Convert a long-term key between libotr\'s key file and python-potr\'s key serialisation.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'derive' -d 'Derive session, AKE and extra symmetric keys from D-H values, and MAC keys from AES keys.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'forge' -d 'Forge Data messages: re-encrypt, modify in place, rebuild and re-MAC; forge whole transcripts with revealed MAC keys.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'simulate' -d 'Run a scripted conversation between two parties from a seed and write every message and secret.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'session' -d 'Be one OTR endpoint over stdin/stdout, to talk to libotr or another implementation across a pipe.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool decode" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'aes-key' -d 'A 16-byte data-message AES key (its MAC key is SHA-1 of it).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'mac-key' -d 'A 20-byte data-message MAC key, to verify without decrypting.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'dh-private' -d 'A D-H private exponent of either party; AKE and data keys are derived from it and the public values in the input.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'ake-secret' -d 'An AKE\'s D-H shared secret s (the MPI value, without its length).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'smp-exponent' -d 'A party\'s secret SMP exponent (a2, a3, b2 or b3); with both of one party, SMP proofs of P and Q and the outcome are checked.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode"' -l 'smp-secret' -d 'The SMP secret a party answered with (its bytes; give both parties\'): an exchange that goes against them is named.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" show-keys' -l 'show-keys' -d 'Print the keys used and derived (AES, MAC, AKE keys).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool decode" explain' -l 'explain' -d 'Replay the receivers\' state over the capture (AKE, key ids, revealed MAC keys, SMP, fragments, disconnects) and say why each message a receiver could not have accepted failed, and which AKE message a restarted AKE lost.'
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
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" aes-key' -l 'aes-key' -d 'Re-encrypt Data messages that carry a plaintext with this 16-byte AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" mac-key' -l 'mac-key' -d 'Re-MAC Data messages with this 20-byte MAC key (default with --aes-key: SHA-1 of it).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode json" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" versions' -l 'versions' -d 'Versions to offer, e.g. 23 or 1,2.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" text' -l 'text' -d 'Human-readable text after the query.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode query" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" versions' -l 'versions' -d 'Versions to offer, e.g. 23.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" text' -l 'text' -d 'The plaintext the tag is appended to.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode tag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" text' -l 'text' -d 'The human-readable error text.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode error" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" dh-private' -l 'dh-private' -d 'The committer\'s D-H private exponent x.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" gx' -l 'gx' -d 'g^x in hex, instead of x.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" r' -l 'r' -d 'The 16-byte key r (default: random).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" allow-violations' -l 'allow-violations' -d 'Build the message even when a D-H value breaks the spec\'s range (a message a peer must refuse).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-commit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" dh-private' -l 'dh-private' -d 'The D-H private exponent y.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" gy' -l 'gy' -d 'g^y in hex, instead of y.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" allow-violations' -l 'allow-violations' -d 'Build the message even when a D-H value breaks the spec\'s range (a message a peer must refuse).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode dh-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" aes-key' -l 'aes-key' -d 'The 16-byte sending AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" mac-key' -l 'mac-key' -d 'The 20-byte MAC key (default: SHA-1 of the AES key).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" text' -l 'text' -d 'The human-readable message.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data"' -l 'tlv' -d 'A TLV as TYPE:HEXVALUE, TYPE decimal or 0x hex (e.g. 1: for Disconnected); repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" flags' -l 'flags' -d 'Flags byte (1 = IGNORE_UNREADABLE).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" sender-keyid' -l 'sender-keyid' -d 'Sender keyid.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" recipient-keyid' -l 'recipient-keyid' -d 'Recipient keyid.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" next-dh-key' -l 'next-dh-key' -d 'The sender\'s next D-H public key, hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" counter' -l 'counter' -d 'Top half of the counter, 16 hex digits.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" old-mac-keys' -l 'old-mac-keys' -d 'Old MAC keys to reveal, concatenated hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" allow-violations' -l 'allow-violations' -d 'Build the message even when a D-H value breaks the spec\'s range (a message a peer must refuse).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" xmpp-to' -l 'xmpp-to' -d 'Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" xmpp-from' -l 'xmpp-from' -d 'The from attribute of the XMPP stanza.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool encode data" json' -l 'json' -d 'Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.'
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
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool keygen" allow-terminal' -l 'allow-terminal' -d 'Write a private key to standard output even when it is a terminal (where scrollback and screen sharing keep it).'
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
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" allow-terminal' -l 'allow-terminal' -d 'Write a private key to standard output even when it is a terminal (where scrollback and screen sharing keep it).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool convert-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool derive" -eq 1' -fa 'session' -d 'Data, AKE and extra symmetric keys of our D-H private exponent and their public value (otr_sesskeys).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool derive" -eq 1' -fa 'mac-key' -d 'The MAC key of a data-message AES key: SHA-1 of it (otr_mackey).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session" dh-private' -l 'dh-private' -d 'Our D-H private exponent x.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session"' -l 'their-public' -d 'Their D-H public value g^y, hex (or file:PATH, env:NAME, fd:N); repeatable, one result each.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session" ake-role' -l 'ake-role' -d 'The AKE message we sent, which decides the ssid\'s bold half: bob sent the Reveal Signature (first half), alice the Signature (second half).' -rfka 'alice bob'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive session" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive mac-key"' -l 'aes-key' -d 'A 16-byte AES key; repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive mac-key" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive mac-key" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool derive mac-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge" -eq 1' -fa 'reencrypt' -d 'Encrypt a new text (and TLVs) into captured Data messages under a known AES key and re-MAC them (otr_readforge).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge" -eq 1' -fa 'modify' -d 'Change known plaintext of captured Data messages without the AES key, given the MAC key (otr_modify).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge" -eq 1' -fa 'remac' -d 'Build a version 2 or 3 Data message from its parts (already encrypted) and MAC it (otr_remac).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge" -eq 1' -fa 'transcript' -d 'Report which messages of a capture anyone can forge with the MAC keys revealed in it; write it with messages altered.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge reencrypt" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt"' -l 'line' -d 'Forge only the Data messages that start on these input lines; repeatable (default: every Data message).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" aes-key' -l 'aes-key' -d 'The messages\' 16-byte AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" mac-key' -l 'mac-key' -d 'MAC with this 20-byte key instead of SHA-1 of the AES key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" text' -l 'text' -d 'The new human-readable message.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt"' -l 'tlv' -d 'A TLV after the text\'s NUL, TYPE:HEXVALUE, TYPE decimal or 0x hex; repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" counter' -l 'counter' -d 'A new counter top half, 16 hex digits (a live receiver wants it above the last one).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" force' -l 'force' -d 'Forge even when the AES key does not verify the captured message\'s MAC.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge reencrypt" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge modify" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify"' -l 'line' -d 'Forge only the Data messages that start on these input lines; repeatable (default: every Data message).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" mac-key' -l 'mac-key' -d 'The messages\' 20-byte MAC key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" old' -l 'old' -d 'The plaintext believed to be at --offset.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" new' -l 'new' -d 'The text to put in its place, as long as --old.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" old-hex' -l 'old-hex' -d '--old as hex bytes.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" new-hex' -l 'new-hex' -d '--new as hex bytes.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" offset' -l 'offset' -d 'Byte offset of the old text in the plaintext.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" force' -l 'force' -d 'Modify even when the MAC key does not verify the captured message.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge modify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" mac-key' -l 'mac-key' -d 'The 20-byte MAC key.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" protocol-version' -l 'protocol-version' -d 'Protocol version, 2 or 3.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" sender-instance' -l 'sender-instance' -d 'Sender instance tag, 8 hex digits (v3).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" receiver-instance' -l 'receiver-instance' -d 'Receiver instance tag, 8 hex digits (v3; 0 = unknown).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" flags' -l 'flags' -d 'Flags byte, 0-255 (1 = IGNORE_UNREADABLE).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" sender-keyid' -l 'sender-keyid' -d 'Sender keyid, 1-4294967295.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" recipient-keyid' -l 'recipient-keyid' -d 'Recipient keyid, 1-4294967295.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" next-dh-key' -l 'next-dh-key' -d 'The sender\'s next D-H public key, hex (2 <= y <= p-2).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" counter' -l 'counter' -d 'Top half of the counter, 16 hex digits.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" encrypted' -l 'encrypted' -d 'The encrypted message, hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" old-mac-keys' -l 'old-mac-keys' -d 'Old MAC keys to reveal, concatenated hex.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" allow-violations' -l 'allow-violations' -d 'Build the message even when it breaks a rule of the spec (zero keyid, out-of-range D-H key, zero counter, invalid instance tags).'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge remac" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool forge transcript" -eq 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript"' -l 'modify' -d 'Change known plaintext of the Data message on LINE: the bytes OLD at OFFSET become NEW (as long as OLD); repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript"' -l 'rewrite' -d 'Encrypt TEXT in place of the Data message on LINE; needs its AES key (--aes-key); repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript"' -l 'aes-key' -d 'An AES key a party held; repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript"' -l 'mac-key' -d 'A MAC key a party held, beyond those revealed; repeatable.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool forge transcript" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_positional "otrtool simulate" -ge 1' -F
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" seed' -l 'seed' -d 'The text every random value derives from.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" alice-policy' -l 'alice-policy' -d 'alice\'s policy: never, manual, opportunistic, always, or libotr\'s number.' -rfka 'never manual opportunistic always'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" bob-policy' -l 'bob-policy' -d 'bob\'s policy.' -rfka 'never manual opportunistic always'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" protocol-version' -l 'protocol-version' -d 'Allow only this protocol version (2 or 3) in both policies.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" fragment' -l 'fragment' -d 'Fragment messages longer than this many characters from the start.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" key-file' -l 'key-file' -d 'Take both long-term keys from this libotr key file instead of the seed.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" alice-account' -l 'alice-account' -d 'alice\'s account (and key file entry).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" bob-account' -l 'bob-account' -d 'bob\'s account (and key file entry).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" protocol' -l 'protocol' -d 'The protocol of both accounts.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" wire-only' -l 'wire-only' -d 'Print only the wire messages, one a line, in the order sent: a capture for decode and forge.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" delivered' -l 'delivered' -d 'Print only the messages delivered, one a line, in the order delivered: a capture of what the receivers were handed, for decode --explain.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool simulate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" key-file' -l 'key-file' -d 'The libotr private key file with our account\'s key.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" account' -l 'account' -d 'Our account name in the key file.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" protocol' -l 'protocol' -d 'The account\'s protocol in the key file.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" peer' -l 'peer' -d 'The peer\'s name: shown in events and text lines, and recorded with its fingerprint.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" policy' -l 'policy' -d 'libotr policy: never, manual, opportunistic, always, or its number.' -rfka 'never manual opportunistic always'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" instance-tag' -l 'instance-tag' -d 'Our instance tag, 8 hex digits (default: the account\'s in --instance-tags, else random).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" instance-tags' -l 'instance-tags' -d 'An otr.instance_tags file to take our instance tag from.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" fingerprints' -l 'fingerprints' -d 'An otr.fingerprints file: the peer\'s fingerprint is added (as --peer) when an AKE completes, and trusted (smp) when SMP succeeds, as libotr does; each change is made under the file\'s lock to the file as it is then.' -rF
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" fragment' -l 'fragment' -d 'Fragment messages longer than this many characters (libotr\'s max_message_size).' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" clock' -l 'clock' -d 'The session\'s clock: real, or virtual (starts at 1700000000 and moves only with /wait SECONDS), for reproducible timers.' -rfka 'real virtual'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" max-line-length' -l 'max-line-length' -d 'Longest input line accepted, in bytes; longer lines are skipped and reported.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" show-secrets' -l 'show-secrets' -d 'Also print D-H key pairs, data keys, AKE keys and SMP exponents (JSON only): for debugging, never in real use.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" insecure-seed' -l 'insecure-seed' -d 'INSECURE: take every random value from this text, reproducibly, for test vectors. Writes no file.' -rfka ''
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" json' -l 'json' -d 'Write JSON Lines: one object per result, bytes as lowercase hex.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" version' -l 'version' -d 'Show the version.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool session" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'otrtool' -n '__otrtool_should_offer_completions_for_flags_or_options "otrtool help" version' -l 'version' -d 'Show the version.'
