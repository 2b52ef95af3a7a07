# switchrole's shell integration for zsh. Load it from ~/.zshrc:
#     eval "$(switchrole init zsh)"
# `__SR_CMD__ NAME` switches this shell to the role NAME, `__SR_CMD__ -` back to the previous one,
# `__SR_CMD__ --off` back to where you were before, `__SR_CMD__` alone picks a role in the TUI;
# other options pass through (`__SR_CMD__ --refresh NAME`). While a role is active the prompt
# starts with its name in its colour and the terminal title is set to it; at a prompt with
# fewer than __SR_RENEW__ seconds left the credentials are renewed (no process runs while they
# are fresh).

typeset -ga _sr_vars
_sr_vars=(__SR_VARS__)
typeset -g _sr_full=__SR_FULL__ _sr_show=__SR_PROMPT__ _sr_loaded=1
if [[ $_sr_full == 1 ]]; then export SWITCHROLE_SHELL_INIT=zsh; fi
zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

# Text made safe for the terminal: control characters become `?`.
_sr_clean() {
    emulate -L zsh
    typeset -g _sr_text=${1//[[:cntrl:]]/?}
}

# Remembers the variables as they were before the first switch.
_sr_save() {
    emulate -L zsh
    local v
    for v in $_sr_vars; do
        if (( ${+parameters[$v]} )); then
            typeset -g "_sr_was_$v=${(P)v}" "_sr_had_$v=1"
        else
            unset "_sr_had_$v" "_sr_was_$v"
        fi
    done
    typeset -g _sr_saved=1
}

# Gives the variables back as they were before the first switch (all unset when none was).
_sr_restore() {
    emulate -L zsh
    local v w
    for v in $_sr_vars; do
        w=_sr_had_$v
        if [[ -n ${_sr_saved-} && -n ${(P)w-} ]]; then
            w=_sr_was_$v
            export "$v=${(P)w}"
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
    emulate -L zsh
    local out before=${SWITCHROLE-}
    case ${1-} in
    (-h|--help)
        print -r -- "usage: __SR_CMD__ [NAME | - | --off] [--refresh] [--mfa-code CODE]" \
            $'\n'"  NAME    switch this shell to the role NAME" \
            $'\n'"  -       back to the previous role" \
            $'\n'"  --off   back to the variables of before the first switch" \
            $'\n'"  (none)  pick a role in the TUI"
        return 0
        ;;
    (--off)
        if [[ -n $before ]]; then typeset -g _sr_previous=$before; fi
        _sr_restore
        typeset -g _sr_saved=
        return 0
        ;;
    (-)
        if [[ -z ${_sr_previous-} ]]; then
            print -r -- "__SR_CMD__: no previous role" >&2
            return 1
        fi
        shift
        set -- "$@" -- "$_sr_previous"
        ;;
    esac
    if (( $# == 0 )); then
        out=$(_sr_base; command switchrole pick --format sh) || return
    else
        out=$(_sr_base; command switchrole env --format sh "$@") || return
    fi
    _sr_take "$out"
    if [[ -n $before && $before != "${SWITCHROLE-}" ]]; then typeset -g _sr_previous=$before; fi
    typeset -g _sr_retry_at=0
}

# Renews the role in place, asking nothing (stdin is /dev/null); one line when it cannot.
_sr_renew() {
    emulate -L zsh
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
        typeset -g _sr_retry_at=0
    elif [[ $err == *"an MFA code is needed"* ]]; then
        print -r -- "switchrole: the credentials for $_sr_text end soon and renewing them needs an MFA code: run \`__SR_CMD__ ${(q)_sr_text}\` (it asks for it)" >&2
        typeset -g _sr_retry_at=99999999999
    else
        err=${err##*$'\n'}
        _sr_clean "${err#switchrole: }"
        print -r -- "switchrole: could not renew the credentials: $_sr_text" >&2
        typeset -g _sr_retry_at=$(( EPOCHSECONDS + 60 ))
    fi
}

# The SGR sequence of SWITCHROLE_COLOR in _sr_sgr (empty without a colour, or under NO_COLOR).
_sr_colour() {
    emulate -L zsh
    typeset -g _sr_sgr=
    local c=${SWITCHROLE_COLOR#\#}
    if [[ -n ${NO_COLOR-} || $c != [[:xdigit:]][[:xdigit:]][[:xdigit:]][[:xdigit:]][[:xdigit:]][[:xdigit:]] ]]; then
        return
    fi
    local r=$(( 16#${c[1,2]} )) g=$(( 16#${c[3,4]} )) b=$(( 16#${c[5,6]} ))
    if [[ ${COLORTERM-} == (truecolor|24bit) ]]; then
        _sr_sgr=$'\e'"[1;38;2;${r};${g};${b}m"
        return
    fi
    local v i n=16 w=36
    for v in $r $g $b; do
        if (( v < 48 )); then i=0; elif (( v < 115 )); then i=1; else i=$(( (v - 35) / 40 )); fi
        (( n += w * i, w /= 6 ))
    done
    _sr_sgr=$'\e'"[1;38;5;${n}m"
}

# The marker before the prompt and the title after it, while a role is active.
_sr_mark() {
    emulate -L zsh
    if [[ -n ${_sr_pre-} && $PS1 == "$_sr_pre"* ]]; then PS1=${PS1#"$_sr_pre"}; fi
    if [[ -n ${_sr_post-} && $PS1 == *"$_sr_post" ]]; then PS1=${PS1%"$_sr_post"}; fi
    typeset -g _sr_pre= _sr_post=
    if [[ -z ${SWITCHROLE-} ]]; then
        if [[ -n ${_sr_titled-} ]]; then
            print -n $'\e]2;\a\e[23;2t'
            typeset -g _sr_titled=
        fi
        return
    fi
    _sr_clean "$SWITCHROLE"
    typeset -g _sr_label=${_sr_text//\%/%%}
    if [[ -o promptbang ]]; then _sr_label=${_sr_label//\!/!!}; fi
    _sr_colour
    local label=$_sr_label on='' off=''
    if [[ -o promptsubst ]]; then label='${_sr_label}'; fi
    if [[ -n $_sr_sgr ]]; then on="%{$_sr_sgr%}" off=$'%{\e[0m%}'; fi
    _sr_pre="${on}[${label}]${off} "
    _sr_post="%{"$'\e]2;'"$label"$'\a'"%}"
    PS1=$_sr_pre$PS1$_sr_post
    if [[ -z ${_sr_titled-} ]]; then
        print -n $'\e[22;2t'
        typeset -g _sr_titled=1
    fi
}

_sr_precmd() {
    local s=$?
    emulate -L zsh
    if [[ $_sr_full == 1 && -n ${SWITCHROLE-} && ${SWITCHROLE_EXPIRES-} == <-> && ${#SWITCHROLE_EXPIRES} -le 12 ]]; then
        if (( 10#$SWITCHROLE_EXPIRES - EPOCHSECONDS < __SR_RENEW__ && EPOCHSECONDS >= ${_sr_retry_at:-0} )); then
            _sr_renew
        fi
    fi
    if [[ $_sr_show == 1 ]]; then _sr_mark; fi
    return $s
}

if [[ $_sr_full != 1 ]]; then unfunction __SR_CMD__; fi
autoload -Uz add-zsh-hook
add-zsh-hook precmd _sr_precmd
