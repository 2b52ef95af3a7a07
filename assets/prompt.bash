# switchrole's prompt segment for bash, for a prompt of your own (the init script shows the
# same marker for you: `eval "$(switchrole init bash)"`; with `--no-prompt` it leaves your
# prompt alone and you can use this instead). Use it from ~/.bashrc:
#     source /path/to/switchrole/assets/prompt.bash
#     PS1='${SWITCHROLE_SEGMENT}\u@\h:\w\$ '
# SWITCHROLE_SEGMENT is "[Acme prod 42m] " inside a switchrole session (the time left when the
# credentials are static), empty outside one. It is made at each prompt by the shell alone,
# without starting a process; control characters in the name show as `?`, and the name is
# never evaluated as code (keep the single quotes around ${SWITCHROLE_SEGMENT}).

_sr_asset_hook() {
    local s=$? name=${SWITCHROLE-} left= now secs
    SWITCHROLE_SEGMENT=
    if [[ -n $name ]]; then
        name=${name//[[:cntrl:]]/?}
        if [[ ${SWITCHROLE_EXPIRES-} =~ ^[0-9]{1,12}$ ]]; then
            if [[ -n ${EPOCHSECONDS-} ]]; then now=$EPOCHSECONDS; else printf -v now '%(%s)T' -1; fi
            secs=$((10#$SWITCHROLE_EXPIRES - now))
            if ((secs <= 0)); then
                left=expired
            elif ((secs < 60)); then
                left='<1m'
            elif ((secs < 3600)); then
                left="$((secs / 60))m"
            elif ((secs % 3600 < 60)); then
                left="$((secs / 3600))h"
            else
                printf -v left '%dh%02dm' $((secs / 3600)) $((secs % 3600 / 60))
            fi
        fi
        SWITCHROLE_SEGMENT="[$name${left:+ $left}] "
    fi
    return $s
}

if [[ ${PROMPT_COMMAND-} != *_sr_asset_hook* ]]; then
    PROMPT_COMMAND="_sr_asset_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
