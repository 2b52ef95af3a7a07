# switchrole's shell integration for PowerShell. Load it from $PROFILE:
#     Invoke-Expression (& switchrole init powershell | Out-String)
# `__SR_CMD__ NAME` switches this shell to the role NAME, `__SR_CMD__ -` back to the previous one,
# `__SR_CMD__ --off` back to where you were before, `__SR_CMD__` alone picks a role in the TUI;
# other options pass through (`__SR_CMD__ --refresh NAME`). While a role is active the prompt
# starts with its name in its colour and the window title is set to it; at a prompt with
# fewer than __SR_RENEW__ seconds left the credentials are renewed (no process runs while they
# are fresh).

$global:_sr_vars = @(__SR_VARS__)
$global:_sr_full = '__SR_FULL__'
$global:_sr_show = '__SR_PROMPT__'
$global:_sr_saved = $null
$global:_sr_was = @{}
$global:_sr_retry_at = 0
if ($global:_sr_full -eq '1') { $env:SWITCHROLE_SHELL_INIT = 'powershell' }

# Text made safe for the terminal: control characters become '?'.
function global:_sr_clean([string] $text) { $text -replace '[\p{Cc}]', '?' }

function global:_sr_keep {
    $kept = @{}
    foreach ($v in $global:_sr_vars) {
        $item = Get-Item -LiteralPath "Env:$v" -ErrorAction SilentlyContinue
        if ($null -ne $item) { $kept[$v] = $item.Value }
    }
    $kept
}

function global:_sr_back([hashtable] $kept) {
    foreach ($v in $global:_sr_vars) {
        if ($null -ne $kept -and $kept.ContainsKey($v)) {
            Set-Item -LiteralPath "Env:$v" -Value $kept[$v]
        } else {
            Remove-Item -LiteralPath "Env:$v" -ErrorAction SilentlyContinue
        }
    }
}

# Runs switchrole with the arguments as given (never through Invoke-Expression), from the
# variables of before the first switch; returns its stdout, sets $global:_sr_rc.
function global:_sr_run([bool] $quiet, [string[]] $arguments) {
    $now = _sr_keep
    if ($null -ne $global:_sr_saved) { _sr_back $global:_sr_was }
    try {
        if ($quiet) {
            $all = $null | & switchrole @arguments 2>&1
            $global:_sr_err = ($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n"
            $out = $all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
        } else {
            $out = & switchrole @arguments
        }
        $global:_sr_rc = $LASTEXITCODE
    } finally {
        _sr_back $now
    }
    ($out | Out-String)
}

# Evaluates the change switchrole printed (its own PowerShell format), over the variables of
# before.
function global:_sr_take([string] $change) {
    if ($null -eq $global:_sr_saved) { $global:_sr_was = _sr_keep; $global:_sr_saved = 1 }
    _sr_back $global:_sr_was
    Invoke-Expression $change
}

function global:__SR_CMD__ {
    $before = $env:SWITCHROLE
    $rest = @($args)
    switch -Exact ([string] $rest[0]) {
        { $_ -in '-h', '--help' } {
            'usage: __SR_CMD__ [NAME | - | --off] [--refresh] [--mfa-code CODE]'
            return
        }
        '--off' {
            if ($before) { $global:_sr_previous = $before }
            if ($null -ne $global:_sr_saved) { _sr_back $global:_sr_was } else { _sr_back $null }
            $global:_sr_saved = $null
            return
        }
        '-' {
            if (-not $global:_sr_previous) { Write-Error '__SR_CMD__: no previous role'; return }
            $rest = @($rest | Select-Object -Skip 1) + @('--', $global:_sr_previous)
        }
    }
    if ($rest.Count -eq 0) {
        $change = _sr_run $false @('pick', '--format', 'powershell')
    } else {
        $change = _sr_run $false (@('env', '--format', 'powershell') + $rest)
    }
    if ($global:_sr_rc -ne 0) { return }
    _sr_take $change
    if ($before -and $before -ne $env:SWITCHROLE) { $global:_sr_previous = $before }
    $global:_sr_retry_at = 0
}

function global:_sr_renew {
    $name = $env:SWITCHROLE
    $change = _sr_run $true @('env', '--format', 'powershell', '--', $name)
    if ($global:_sr_rc -eq 0) {
        _sr_take $change
        $global:_sr_retry_at = 0
    } elseif ($global:_sr_err -like '*an MFA code is needed*') {
        $q = [string] [char] 39
        $shown = (_sr_clean $name).Replace($q, $q + $q)
        [Console]::Error.WriteLine("switchrole: the credentials for $(_sr_clean $name) end soon and renewing them needs an MFA code: run ``__SR_CMD__ '$shown'`` (it asks for it)")
        $global:_sr_retry_at = [long]::MaxValue
    } else {
        $line = @($global:_sr_err -split "`n" | Where-Object { $_ })[-1]
        [Console]::Error.WriteLine("switchrole: could not renew the credentials: $(_sr_clean ($line -replace '^switchrole: ', ''))")
        $global:_sr_retry_at = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 60
    }
}

# The SGR sequence of SWITCHROLE_COLOR ('' without a colour, or under NO_COLOR).
function global:_sr_colour {
    $c = ([string] $env:SWITCHROLE_COLOR) -replace '^#', ''
    if ($env:NO_COLOR -or $c -notmatch '^[0-9a-fA-F]{6}$') { return '' }
    $rgb = @(0, 2, 4 | ForEach-Object { [Convert]::ToInt32($c.Substring($_, 2), 16) })
    $e = [char]27
    if ($env:COLORTERM -in 'truecolor', '24bit') { return "$e[1;38;2;$($rgb[0]);$($rgb[1]);$($rgb[2])m" }
    $n = 16; $w = 36
    foreach ($v in $rgb) {
        $i = if ($v -lt 48) { 0 } elseif ($v -lt 115) { 1 } else { [math]::Floor(($v - 35) / 40) }
        $n += $w * $i; $w = $w / 6
    }
    "$e[1;38;5;${n}m"
}

if (-not (Test-Path Function:\_sr_user_prompt)) {
    $function:_sr_user_prompt = if (Test-Path Function:\prompt) { $function:prompt } else { { 'PS> ' } }
    $global:_sr_user_title = $Host.UI.RawUI.WindowTitle
}

function global:prompt {
    $ok = $?
    $code = $global:LASTEXITCODE
    $mark = ''
    if ($global:_sr_full -eq '1' -and $env:SWITCHROLE -and ([string] $env:SWITCHROLE_EXPIRES) -match '^[0-9]{1,12}$') {
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        if ([long] $env:SWITCHROLE_EXPIRES - $now -lt __SR_RENEW__ -and $now -ge $global:_sr_retry_at) { _sr_renew }
    }
    if ($global:_sr_show -eq '1') {
        if ($env:SWITCHROLE) {
            $name = _sr_clean $env:SWITCHROLE
            $on = _sr_colour
            $mark = if ($on) { "$on[$name]$([char]27)[0m " } else { "[$name] " }
            $Host.UI.RawUI.WindowTitle = $name
            $global:_sr_titled = 1
        } elseif ($global:_sr_titled) {
            $Host.UI.RawUI.WindowTitle = $global:_sr_user_title
            $global:_sr_titled = $null
        }
    }
    $global:LASTEXITCODE = $code
    if (-not $ok) { Write-Error '' -ErrorAction Ignore }
    $mark + (& $function:_sr_user_prompt)
}

if ($global:_sr_full -ne '1') { Remove-Item Function:\__SR_CMD__ -ErrorAction SilentlyContinue }
