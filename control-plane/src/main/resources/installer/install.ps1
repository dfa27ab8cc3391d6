# Rampart agent installer for Windows (PowerShell 5.1 or later), served at @RAMPART_HTTP_URL@/install.ps1
# In an elevated PowerShell (Run as administrator):
#
#   & ([scriptblock]::Create((Invoke-RestMethod @RAMPART_HTTP_URL@/install.ps1))) -Token TOKEN
#
#   -Token TOKEN            the single-use enrolment token from the Rampart web UI (not needed when already enrolled)
#   -Server URL             gRPC address the agent reports to (default @RAMPART_GRPC_URL@)
#   -Download URL           control plane HTTP address the jar is fetched from (default @RAMPART_HTTP_URL@)
#   -ServiceWrapper PATH    WinSW.exe: run the agent as a real Windows service through it
#                           (without it the agent runs as a scheduled task at start-up, as SYSTEM)
#   -Uninstall [-Purge]     remove the agent; -Purge also removes its identity, outbox and checks.properties
#
# UNTESTED on Windows so far: see deploy/installers/README.md. Running it again is safe.
param(
    [string]$Token = '',
    [string]$Server = '@RAMPART_GRPC_URL@',
    [string]$Download = '@RAMPART_HTTP_URL@',
    [string]$ServiceWrapper = '',
    [switch]$Uninstall,
    [switch]$Purge
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$AppDir = Join-Path $env:ProgramFiles 'Rampart Agent'
$AgentHome = Join-Path $env:ProgramData 'Rampart Agent'
$Jar = Join-Path $AppDir 'rampart-agent.jar'
$Wrapper = Join-Path $AppDir 'rampart-agent.cmd'
$Checks = Join-Path $AgentHome 'checks.properties'
$ServiceExe = Join-Path $AppDir 'rampart-agent-service.exe'
$ServiceName = 'RampartAgent'
$TaskName = 'Rampart Agent'

function Say([string]$Text) { Write-Host "rampart-install: $Text" }

$me = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $me.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run me in an elevated PowerShell (Run as administrator).'
}

function Stop-Agent {
    if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Stop-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue
        Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
        Say "removed the scheduled task '$TaskName'"
    }
    if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
        Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
        if (Test-Path $ServiceExe) { & $ServiceExe uninstall | Out-Null } else { & sc.exe delete $ServiceName | Out-Null }
        Say "removed the service $ServiceName"
    }
    # the agent may still be closing its outbox; Windows keeps the jar locked until it has
    Start-Sleep -Seconds 2
}

if ($Uninstall) {
    Stop-Agent
    if (Test-Path $AppDir) { Remove-Item -Recurse -Force $AppDir }
    Say "removed $AppDir"
    if ($Purge) {
        if (Test-Path $AgentHome) { Remove-Item -Recurse -Force $AgentHome }
        Say "purged $AgentHome (identity, outbox, checks.properties)"
    } else {
        Say "kept $AgentHome (identity, outbox, checks.properties): add -Purge to remove it"
    }
    return
}

# Java 17 or later
$java = Get-Command java -ErrorAction SilentlyContinue
if (-not $java) { throw 'No java found: install Java 17 (for example the Eclipse Temurin 17 JRE) and run me again.' }
$versionLine = & cmd.exe /c "`"$($java.Source)`" -version 2>&1" | Select-Object -First 1
if ("$versionLine" -notmatch 'version "(\d+)(?:\.(\d+))?') { throw "Cannot tell which Java $($java.Source) is: $versionLine" }
$major = [int]$Matches[1]
if ($major -eq 1) { $major = [int]$Matches[2] }
if ($major -lt 17) { throw "$($java.Source) is Java $major; the agent needs 17 or later: install Java 17 and run me again." }

# download and verify
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
$Download = $Download.TrimEnd('/')
$work = Join-Path $env:TEMP ('rampart-' + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $expected = ([string](Invoke-WebRequest -UseBasicParsing "$Download/downloads/rampart-agent.jar.sha256").Content).Trim().Split(' ')[0].ToLower()
    Invoke-WebRequest -UseBasicParsing "$Download/downloads/rampart-agent.jar" -OutFile (Join-Path $work 'rampart-agent.jar')
    $actual = (Get-FileHash -Algorithm SHA256 (Join-Path $work 'rampart-agent.jar')).Hash.ToLower()
    if ($actual -ne $expected) { throw "The downloaded jar's SHA-256 is $actual, not $expected as the control plane says: not installing it." }
    Say "downloaded the agent from $Download (SHA-256 $actual, verified)"

    Stop-Agent    # a running agent keeps the old jar locked
    New-Item -ItemType Directory -Force -Path $AppDir, $AgentHome | Out-Null
    Copy-Item -Force (Join-Path $work 'rampart-agent.jar') $Jar
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

# the JVM options come with the jar (io.rampart.agent.cli.JvmOptions, measured by the footprint benchmark)
$jvmOptions = ([string](& $java.Source -cp $Jar io.rampart.agent.cli.JvmOptions windows)).Trim()
if ($LASTEXITCODE -ne 0 -or -not $jvmOptions) { throw "$($java.Source) cannot run the downloaded agent ($Jar) to ask it for its JVM options: see the message above." }

# identity and outbox: SYSTEM and Administrators only (well-known SIDs, so any Windows language)
& icacls.exe $AgentHome /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null

Set-Content -Encoding ASCII -Path $Wrapper -Value @"
@echo off
rem Rampart agent: rampart-agent enroll^|run^|status^|report ... (written by install.ps1)
if not defined RAMPART_AGENT_HOME set "RAMPART_AGENT_HOME=$AgentHome"
"$($java.Source)" $jvmOptions -jar "$Jar" %*
"@

if (Test-Path $Checks) {
    Say "kept your $Checks"
} else {
    Set-Content -Encoding ASCII -Path $Checks -Value @'
# Where this practice's backups are, one line per check: check.<check-id>.<setting>=value
# The control plane says which checks to run; these settings never leave this computer.
# Backslashes must be doubled (or use forward slashes):
# check.nas-copy.path=\\\\nas\\backups
# check.usb-copy.path=E:/backups
'@
    Say "wrote $Checks (a commented template)"
}
Say "installed $Jar and $Wrapper"

# enrol
$identity = Join-Path $AgentHome 'agent.properties'
if (Test-Path $identity) {
    $agentId = (Select-String -Path $identity -Pattern '^agent\.id=(.*)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    Say "already enrolled as agent ${agentId}: keeping that identity"
} elseif (-not $Token) {
    throw 'Not enrolled yet and no -Token given: create an enrolment token in the Rampart web UI and run me with -Token TOKEN.'
} else {
    Say "enrolling with $Server"
    # The control plane's CA, as served with this script: the only one the agent will trust.
    $caFile = Join-Path $AgentHome 'control-plane-ca.crt'
    Set-Content -Path $caFile -Encoding ascii -Value @'
@RAMPART_AGENT_CA@
'@
    & $Wrapper enroll --server $Server --token $Token --ca-file $caFile
    if ($LASTEXITCODE -ne 0) { throw 'Enrolment failed (see the message above); the program is installed: run me again with a new token.' }
}

# start it, and at every start-up
if ($ServiceWrapper) {
    Copy-Item -Force $ServiceWrapper $ServiceExe
    Set-Content -Encoding UTF8 -Path ([IO.Path]::ChangeExtension($ServiceExe, '.xml')) -Value @"
<service>
  <id>$ServiceName</id>
  <name>Rampart Agent</name>
  <description>Rampart practice agent (backup assurance)</description>
  <executable>$($java.Source)</executable>
  <arguments>$jvmOptions -jar "$Jar" run --home "$AgentHome"</arguments>
  <startmode>Automatic</startmode>
  <onfailure action="restart" delay="10 sec"/>
  <log mode="roll-by-size"/>
</service>
"@
    & $ServiceExe install | Out-Null
    Start-Service -Name $ServiceName
    Say "the Windows service $ServiceName is installed and running (through WinSW)"
} else {
    $action = New-ScheduledTaskAction -Execute $Wrapper -Argument 'run'
    $trigger = New-ScheduledTaskTrigger -AtStartup
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
        -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
    Start-ScheduledTask -TaskName $TaskName
    Say "the agent runs now and at every start-up as the scheduled task '$TaskName' (SYSTEM)"
}
Say "next: say where the backups are in $Checks, then check with: & '$Wrapper' status"
