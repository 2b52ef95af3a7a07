# switchrole's shell integration for bash. Load it from ~/.bashrc:
#     eval "$(switchrole init bash)"
# `__SR_CMD__ NAME` switches this shell to the role NAME, `__SR_CMD__ -` back to the previous one,
# `__SR_CMD__ --off` back to where you were before, `__SR_CMD__` alone picks a role in the TUI;
# other options pass through (`__SR_CMD__ --refresh NAME`). While a role is active the prompt
# starts with its name in its colour and the terminal title is set to it; at a prompt with
# fewer than __SR_RENEW__ seconds left the credentials are renewed (no process runs while they
# are fresh).

_sr_vars=(__SR_VARS__)
_sr_full=__SR_FULL__
_sr_show=__SR_PROMPT__
_sr_loaded=1
if [[ $_sr_full == 1 ]]; then export SWITCHROLE_SHELL_INIT=bash; fi

# The time in Unix seconds in _sr_t: a builtin from bash 4.2 on.
_sr_now() {
    if [[ -n ${EPOCHSECONDS-} ]]; then
        _sr_t=$EPOCHSECONDS
    elif ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 2))); then
        printf -v _sr_t '%(%s)T' -1
    else
        _sr_t=$(command date +%s)
    fi
}

# Text made safe for the terminal: control characters become `?`.
_sr_clean() {
    local text=$1
    text=${text//[[:cntrl:]]/?}
    text=${text//$'\xc2'[$'\x80'-$'\x9f']/?}
    _sr_text=$text
}

# Remembers the variables as they were before the first switch.
_sr_save() {
    local v
    for v in "${_sr_vars[@]}"; do
        if [[ -n ${!v+x} ]]; then
            printf -v "_sr_was_$v" '%s' "${!v}"
            printf -v "_sr_had_$v" 1
        else
            unset "_sr_had_$v" "_sr_was_$v"
        fi
    done
    _sr_saved=1
}

# Gives the variables back as they were before the first switch (all unset when none was).
_sr_restore() {
    local v w
    for v in "${_sr_vars[@]}"; do
        w=_sr_had_$v
        if [[ -n ${_sr_saved-} && -n ${!w-} ]]; then
            w=_sr_was_$v
            export "$v=${!w}"
        else
            unset "$v"
        fi
    done
}

# The variables of before the first switch, in a subshell that runs switchrole.
_sr_base() {
    if [[ -n ${_sr_saved-} ]]; then _sr_restore; fi
}

# Evaluates a change printed by `switchrole env`/`pick`, over the variables of before.
_sr_take() {
    if [[ -z ${_sr_saved-} ]]; then _sr_save; fi
    _sr_restore
    eval "$1"
}

__SR_CMD__() {
    local out before=${SWITCHROLE-}
    case ${1-} in
    -h | --help)
        printf '%s\n' "usage: __SR_CMD__ [NAME | - | --off] [--refresh] [--mfa-code CODE]" \
            "  NAME    switch this shell to the role NAME" \
            "  -       back to the previous role" \
            "  --off   back to the variables of before the first switch" \
            "  (none)  pick a role in the TUI"
        return 0
        ;;
    --off)
        if [[ -n $before ]]; then _sr_previous=$before; fi
        _sr_restore
        _sr_saved=
        return 0
        ;;
    -)
        if [[ -z ${_sr_previous-} ]]; then
            printf '%s\n' "__SR_CMD__: no previous role" >&2
            return 1
        fi
        shift
        set -- "$@" -- "$_sr_previous"
        ;;
    esac
    if (($# == 0)); then
        out=$(_sr_base; command switchrole pick --format sh) || return
    else
        out=$(_sr_base; command switchrole env --format sh "$@") || return
    fi
    _sr_take "$out"
    if [[ -n $before && $before != "${SWITCHROLE-}" ]]; then _sr_previous=$before; fi
    _sr_retry_at=0
}

# Renews the role in place, asking nothing (stdin is /dev/null); one line when it cannot.
_sr_renew() {
    local both rc out err name=$SWITCHROLE
    both=$(
        exec 3>&1
        o=$(_sr_base; command switchrole env --format sh -- "$name" </dev/null 2>&3)
        r=$?
        printf '\n\036%s\036%s' "$o" "$r"
    )
    rc=${both##*$'\036'}
    both=${both%$'\036'*}
    out=${both##*$'\036'}
    err=${both%$'\n\036'*}
    _sr_clean "$name"
    if [[ $rc == 0 ]]; then
        _sr_take "$out"
        _sr_retry_at=0
    elif [[ $err == *"an MFA code is needed"* ]]; then
        printf 'switchrole: the credentials for %s end soon and renewing them needs an MFA code: run `__SR_CMD__ %q` (it asks for it)\n' "$_sr_text" "$name" >&2
        _sr_retry_at=99999999999
    else
        err=${err##*$'\n'}
        _sr_clean "${err#switchrole: }"
        printf 'switchrole: could not renew the credentials: %s\n' "$_sr_text" >&2
        _sr_now
        _sr_retry_at=$((_sr_t + 60))
    fi
}

# The SGR sequence of SWITCHROLE_COLOR in _sr_sgr (empty without a colour, or under NO_COLOR).
_sr_colour() {
    _sr_sgr=
    local c=${SWITCHROLE_COLOR#\#} x='[[:xdigit:]]'
    if [[ -n ${NO_COLOR-} || $c != $x$x$x$x$x$x ]]; then return; fi
    local r=$((16#${c:0:2})) g=$((16#${c:2:2})) b=$((16#${c:4:2}))
    if [[ ${COLORTERM-} == truecolor || ${COLORTERM-} == 24bit ]]; then
        _sr_sgr="\e[1;38;2;${r};${g};${b}m"
        return
    fi
    local v i n=16 w=36
    for v in "$r" "$g" "$b"; do
        if ((v < 48)); then i=0; elif ((v < 115)); then i=1; else i=$(((v - 35) / 40)); fi
        n=$((n + w * i))
        w=$((w / 6))
    done
    _sr_sgr="\e[1;38;5;${n}m"
}

# The marker before the prompt and the title after it, while a role is active.
_sr_mark() {
    if [[ -n ${_sr_pre-} && $PS1 == "$_sr_pre"* ]]; then PS1=${PS1#"$_sr_pre"}; fi
    if [[ -n ${_sr_post-} && $PS1 == *"$_sr_post" ]]; then PS1=${PS1%"$_sr_post"}; fi
    _sr_pre= _sr_post=
    if [[ -z ${SWITCHROLE-} ]]; then
        if [[ -n ${_sr_titled-} ]]; then
            printf '\e]2;\a\e[23;2t'
            _sr_titled=
        fi
        return
    fi
    _sr_clean "$SWITCHROLE"
    _sr_label=$_sr_text
    _sr_colour
    local label='${_sr_label}' on='' off=''
    if ! shopt -q promptvars; then label=${_sr_label//\\/\\\\}; fi
    if [[ -n $_sr_sgr ]]; then on="\[$_sr_sgr\]" off='\[\e[0m\]'; fi
    _sr_pre="${on}[${label}]${off} "
    _sr_post="\[\e]2;$label\a\]"
    PS1=$_sr_pre$PS1$_sr_post
    if [[ -z ${_sr_titled-} ]]; then
        printf '\e[22;2t'
        _sr_titled=1
    fi
}

_sr_hook() {
    local s=$?
    if [[ $_sr_full == 1 && -n ${SWITCHROLE-} && ${SWITCHROLE_EXPIRES-} =~ ^[0-9]{1,12}$ ]]; then
        _sr_now
        if ((10#$SWITCHROLE_EXPIRES - _sr_t < __SR_RENEW__ && _sr_t >= ${_sr_retry_at:-0})); then
            _sr_renew
        fi
    fi
    if [[ $_sr_show == 1 ]]; then _sr_mark; fi
    return $s
}

if [[ $_sr_full != 1 ]]; then unset -f __SR_CMD__; fi
if ((${#PROMPT_COMMAND[@]} > 1)); then
    if [[ " ${PROMPT_COMMAND[*]} " != *" _sr_hook "* ]]; then PROMPT_COMMAND+=(_sr_hook); fi
elif [[ ${PROMPT_COMMAND-} != *_sr_hook* ]]; then
    PROMPT_COMMAND="${PROMPT_COMMAND:+${PROMPT_COMMAND%;};}_sr_hook"
fi
