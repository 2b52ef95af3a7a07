# switchrole's prompt segment for zsh, for a prompt of your own (the init script shows the
# same marker for you: `eval "$(switchrole init zsh)"`; with `--no-prompt` it leaves your
# prompt alone and you can use this instead). Use it from ~/.zshrc:
#     source /path/to/switchrole/assets/prompt.zsh
#     setopt prompt_subst
#     PROMPT='${SWITCHROLE_SEGMENT}'$PROMPT
# SWITCHROLE_SEGMENT is "[Acme prod 42m] " inside a switchrole session (the time left when the
# credentials are static), empty outside one. It is made before each prompt by the shell
# alone, without starting a process; control characters in the name show as `?` and `%` is
# doubled, so the name is shown as text, never expanded (keep the single quotes).

zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null

_sr_asset_precmd() {
    emulate -L zsh
    local name=${SWITCHROLE-} left= secs
    typeset -g SWITCHROLE_SEGMENT=
    [[ -n $name ]] || return 0
    name=${${name//[[:cntrl:]]/?}//\%/%%}
    if [[ ${SWITCHROLE_EXPIRES-} == <-> && ${#SWITCHROLE_EXPIRES} -le 12 ]]; then
        secs=$(( 10#$SWITCHROLE_EXPIRES - EPOCHSECONDS ))
        if (( secs <= 0 )); then
            left=expired
        elif (( secs < 60 )); then
            left='<1m'
        elif (( secs < 3600 )); then
            left="$(( secs / 60 ))m"
        elif (( secs % 3600 < 60 )); then
            left="$(( secs / 3600 ))h"
        else
            printf -v left '%dh%02dm' $(( secs / 3600 )) $(( secs % 3600 / 60 ))
        fi
    fi
    SWITCHROLE_SEGMENT="[$name${left:+ $left}] "
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd _sr_asset_precmd
