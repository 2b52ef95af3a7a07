# switchrole's shell integration for fish. Load it from ~/.config/fish/config.fish:
#     switchrole init fish | source
# `__SR_CMD__ NAME` switches this shell to the role NAME, `__SR_CMD__ -` back to the previous one,
# `__SR_CMD__ --off` back to where you were before, `__SR_CMD__` alone picks a role in the TUI;
# other options pass through (`__SR_CMD__ --refresh NAME`). While a role is active the prompt
# starts with its name in its colour and the terminal title is set to it; at a prompt with
# fewer than __SR_RENEW__ seconds left the credentials are renewed (no process runs while they
# are fresh).

set -g _sr_vars __SR_VARS__
set -g _sr_full __SR_FULL__
set -g _sr_show __SR_PROMPT__
set -g _sr_loaded 1
set -q _sr_retry_at; or set -g _sr_retry_at 0
if test $_sr_full = 1
    set -gx SWITCHROLE_SHELL_INIT fish
end

# The time in Unix seconds, from builtins alone.
function _sr_now
    math (path mtime /) + (path mtime --relative /)
end

# Text made safe for the terminal: control characters become `?`.
function _sr_clean
    string replace -ra '[\x00-\x1f\x7f\x{80}-\x{9f}]' '?' -- $argv[1]
end

# Keeps the variables' values under PREFIX (`was`: as before the first switch).
function _sr_keep -a prefix
    for v in $_sr_vars
        if set -q $v
            set -g _sr_{$prefix}_$v "$$v"
            set -g _sr_{$prefix}has_$v 1
        else
            set -e _sr_{$prefix}_$v _sr_{$prefix}has_$v
        end
    end
end

# Gives the variables back from PREFIX (all unset when nothing was kept).
function _sr_back -a prefix kept
    for v in $_sr_vars
        set -l has _sr_{$prefix}has_$v
        set -l was _sr_{$prefix}_$v
        if test -n "$kept"; and set -q $has
            set -gx $v $$was
        else
            set -e $v
        end
    end
end

# Runs switchrole from the variables of before the first switch; sets _sr_out and _sr_rc.
# With `quiet`, stdin is /dev/null and stderr goes to _sr_err.
function _sr_run -a quiet
    set -e argv[1]
    _sr_keep now
    if set -q _sr_saved
        _sr_back was 1
    end
    set -g _sr_err
    if test -n "$quiet"
        set -g _sr_out (command switchrole $argv </dev/null 2>| read -gz _sr_err; set -g _sr_rc $pipestatus[1])
    else
        set -g _sr_out (command switchrole $argv; set -g _sr_rc $pipestatus[1])
    end
    _sr_back now 1
    return $_sr_rc
end

# Evaluates the change in _sr_out, over the variables of before.
function _sr_take
    if not set -q _sr_saved
        _sr_keep was
        set -g _sr_saved 1
    end
    _sr_back was 1
    string join \n -- $_sr_out | source
end

function __SR_CMD__
    set -l before "$SWITCHROLE"
    switch "$argv[1]"
        case -h --help
            printf '%s\n' "usage: __SR_CMD__ [NAME | - | --off] [--refresh] [--mfa-code CODE]" \
                "  NAME    switch this shell to the role NAME" \
                "  -       back to the previous role" \
                "  --off   back to the variables of before the first switch" \
                "  (none)  pick a role in the TUI"
            return 0
        case --off
            test -n "$before"; and set -g _sr_previous $before
            if set -q _sr_saved
                _sr_back was 1
            else
                _sr_back was ''
            end
            set -e _sr_saved
            return 0
        case -
            if not set -q _sr_previous
                echo "__SR_CMD__: no previous role" >&2
                return 1
            end
            set argv $argv[2..-1] -- $_sr_previous
    end
    if test (count $argv) -eq 0
        _sr_run '' pick --format fish; or return
    else
        _sr_run '' env --format fish $argv; or return
    end
    _sr_take
    if test -n "$before" -a "$before" != "$SWITCHROLE"
        set -g _sr_previous $before
    end
    set -g _sr_retry_at 0
end

# Renews the role in place, asking nothing; one line when it cannot.
function _sr_renew
    set -l name $SWITCHROLE
    if _sr_run quiet env --format fish -- $name
        _sr_take
        set -g _sr_retry_at 0
    else if string match -q '*an MFA code is needed*' -- $_sr_err
        printf 'switchrole: the credentials for %s end soon and renewing them needs an MFA code: run `__SR_CMD__ %s` (it asks for it)\n' (_sr_clean $name) (string escape -- (_sr_clean $name)) >&2
        set -g _sr_retry_at 99999999999
    else
        set -l line (string split \n -- $_sr_err | string match -v '')[-1]
        printf 'switchrole: could not renew the credentials: %s\n' (_sr_clean (string replace -r '^switchrole: ' '' -- "$line")) >&2
        set -g _sr_retry_at (math (_sr_now) + 60)
    end
end

function _sr_on_prompt --on-event fish_prompt
    if test $_sr_full = 1 -a -n "$SWITCHROLE"; and string match -qr '^[0-9]{1,12}$' -- "$SWITCHROLE_EXPIRES"
        set -l now (_sr_now)
        if test (math $SWITCHROLE_EXPIRES - $now) -lt __SR_RENEW__ -a $now -ge $_sr_retry_at
            _sr_renew
        end
    end
    if test $_sr_show = 1
        _sr_title_mark
    end
end

# The SGR sequence of SWITCHROLE_COLOR (nothing without a colour, or under NO_COLOR).
function _sr_colour
    set -l c (string replace -r '^#' '' -- "$SWITCHROLE_COLOR")
    if test -n "$NO_COLOR"; or not string match -qr '^[0-9a-fA-F]{6}$' -- $c
        return
    end
    set -l rgb (math 0x(string sub -s 1 -l 2 -- $c)) (math 0x(string sub -s 3 -l 2 -- $c)) (math 0x(string sub -s 5 -l 2 -- $c))
    if contains -- "$COLORTERM" truecolor 24bit
        printf '\e[1;38;2;%s;%s;%sm' $rgb
        return
    end
    set -l n 16
    set -l w 36
    for v in $rgb
        set -l i 0
        if test $v -ge 115
            set i (math --scale=0 "($v - 35) / 40")
        else if test $v -ge 48
            set i 1
        end
        set n (math $n + $w \* $i)
        set w (math $w / 6)
    end
    printf '\e[1;38;5;%sm' $n
end

# The title while a role is active, and the stack of titles around it.
function _sr_title_mark
    if test -n "$SWITCHROLE"
        if not set -q _sr_titled
            printf '\e[22;2t'
            set -g _sr_titled 1
        end
        printf '\e]2;%s\a' (_sr_clean $SWITCHROLE)
    else if set -q _sr_titled
        printf '\e]2;\a\e[23;2t'
        set -e _sr_titled
    end
end

# The marker before the user's prompt, and the name before the user's title.
function _sr_status
    return $argv[1]
end
if test $_sr_show = 1; and not functions -q _sr_user_prompt
    if functions -q fish_prompt
        functions -c fish_prompt _sr_user_prompt
    else
        function _sr_user_prompt
            printf '> '
        end
    end
    if functions -q fish_title
        functions -c fish_title _sr_user_title
    else
        function _sr_user_title
            status current-command
        end
    end
    function fish_prompt
        set -l s $status
        if test -n "$SWITCHROLE"
            set -l on (_sr_colour)
            if test -n "$on"
                printf '%s[%s]\e[0m ' $on (_sr_clean $SWITCHROLE)
            else
                printf '[%s] ' (_sr_clean $SWITCHROLE)
            end
        end
        _sr_status $s
        _sr_user_prompt
    end
    function fish_title
        if test -n "$SWITCHROLE"
            printf '[%s] ' (_sr_clean $SWITCHROLE)
        end
        _sr_user_title $argv
    end
end

if test $_sr_full != 1
    functions -e __SR_CMD__
end
