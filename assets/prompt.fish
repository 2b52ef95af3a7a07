# switchrole's prompt segment for fish, for a prompt of your own (the init script shows the
# same marker for you: `switchrole init fish | source`; with `--no-prompt` it leaves your
# prompt alone and you can use this instead). Use it from ~/.config/fish/config.fish:
#     source /path/to/switchrole/assets/prompt.fish
# and call `switchrole_prompt` first thing in your fish_prompt:
#     function fish_prompt
#         switchrole_prompt
#         # ... your prompt
#     end
# It prints "[Acme prod 42m] " inside a switchrole session (the time left when the credentials
# are static), nothing outside one, with builtins alone (no process); control characters in
# the name show as `?`.

function switchrole_prompt
    test -n "$SWITCHROLE"; or return 0
    set -l name (string replace -ra '[\x00-\x1f\x7f\x{80}-\x{9f}]' '?' -- $SWITCHROLE)
    set -l left
    if string match -qr '^[0-9]{1,12}$' -- "$SWITCHROLE_EXPIRES"
        set -l secs (math $SWITCHROLE_EXPIRES - \( (path mtime /) + (path mtime --relative /) \))
        if test $secs -le 0
            set left expired
        else if test $secs -lt 60
            set left '<1m'
        else if test $secs -lt 3600
            set left (math --scale=0 "$secs / 60")m
        else if test (math "$secs % 3600") -lt 60
            set left (math --scale=0 "$secs / 3600")h
        else
            set left (printf '%dh%02dm' (math --scale=0 "$secs / 3600") (math --scale=0 "$secs % 3600 / 60"))
        end
    end
    if test -n "$left"
        printf '[%s %s] ' $name $left
    else
        printf '[%s] ' $name
    end
end
