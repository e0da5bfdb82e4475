#!/usr/bin/env pwsh
<#
.SYNOPSIS
Starts a local RaftBalancer cluster (3 or 5 nodes) and 3 demo backends on 127.0.0.1.

.DESCRIPTION
Builds once, starts demo backends b1..b3 (ports 7301..7303) and the nodes of cluster-configs/local-N
(node N: proxy 7000+N, admin 7100+N, Raft 7200+N), waits until a leader is elected and every node
forwards, prints the endpoints, and stops everything on Ctrl+C.
A fresh machine needs only the .NET SDK:  dotnet tool restore; dotnet pwsh ./run-cluster.ps1

.PARAMETER Nodes
3 (default) or 5.
.PARAMETER Detach
Return once the cluster is ready and leave it running (PIDs in cluster-configs/local-N/data/cluster.pids).
.PARAMETER Stop
Stop a detached cluster.
#>
param(
    [ValidateSet(3, 5)][int]$Nodes = 3,
    [switch]$Detach,
    [switch]$Stop,
    [int]$TimeoutSeconds = 90,
    [string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$configDir = Join-Path $root "cluster-configs/local-$Nodes"
$dataDir = Join-Path $configDir 'data'
$pidFile = Join-Path $dataDir 'cluster.pids'

function Stop-Cluster {
    if (-not (Test-Path $pidFile)) { return }
    foreach ($line in Get-Content $pidFile) {
        $id = [int]$line
        $process = Get-Process -Id $id -ErrorAction SilentlyContinue
        if ($process) {
            Stop-Process -Id $id -Force -ErrorAction SilentlyContinue
            $process.WaitForExit(5000) | Out-Null
        }
    }
    Remove-Item $pidFile -Force
}

if ($Stop) {
    $found = $false
    foreach ($n in 3, 5) {
        $pidFile = Join-Path $root "cluster-configs/local-$n/data/cluster.pids"
        if (Test-Path $pidFile) { $found = $true; Stop-Cluster; Write-Host "Stopped the local-$n cluster." }
    }
    if (-not $found) { Write-Host 'No detached cluster is running.' }
    exit 0
}

if (Test-Path $pidFile) {
    Write-Error "A local-$Nodes cluster is already running (see $pidFile); stop it with ./run-cluster.ps1 -Stop"
    exit 1
}

Write-Host "Building ($Configuration)..."
foreach ($project in 'src/RaftBalancer.Node', 'src/RaftBalancer.DemoBackend') {
    dotnet build (Join-Path $root $project) -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { Write-Error "Build of $project failed."; exit 1 }
}

$nodeDll = Join-Path $root "src/RaftBalancer.Node/bin/$Configuration/net10.0/RaftBalancer.Node.dll"
$backendDll = Join-Path $root "src/RaftBalancer.DemoBackend/bin/$Configuration/net10.0/RaftBalancer.DemoBackend.dll"

# A fresh Raft log each run: the demo cluster starts from its config files.
if (Test-Path $dataDir) { Remove-Item $dataDir -Recurse -Force }
$logDir = Join-Path $dataDir 'logs'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
New-Item -ItemType File -Force -Path $pidFile | Out-Null

function Start-Logged([string]$name, [string[]]$arguments) {
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $logDir "$name.log") -RedirectStandardError (Join-Path $logDir "$name.err")
    Add-Content -Path $pidFile -Value $process.Id
    return $process
}

$ready = $false
try {
    foreach ($m in 1..3) {
        Start-Logged "b$m" @($backendDll, '--id', "b$m", '--urls', "http://127.0.0.1:$(7300 + $m)") | Out-Null
    }
    foreach ($n in 1..$Nodes) {
        Start-Logged "node-$n" @($nodeDll, '--config', (Join-Path $configDir "node-$n.json")) | Out-Null
    }

    Write-Host "Waiting for a leader and for every node to forward..."
    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    while (-not $ready) {
        if ((Get-Date) -gt $deadline) { throw "The cluster was not ready within $TimeoutSeconds s; logs in $logDir" }
        Start-Sleep -Milliseconds 250
        $ready = $true
        foreach ($n in 1..$Nodes) {
            try {
                $status = Invoke-RestMethod -Uri "http://127.0.0.1:$(7100 + $n)/-/status" -TimeoutSec 2
                $probe = Invoke-WebRequest -Uri "http://127.0.0.1:$(7000 + $n)/" -TimeoutSec 2 -SkipHttpErrorCheck
                if (-not $status.leaderId -or $status.stale -or $probe.StatusCode -ne 200) { $ready = $false; break }
            }
            catch { $ready = $false; break }
        }
    }

    $leader = (Invoke-RestMethod -Uri 'http://127.0.0.1:7101/-/status').leaderId
    Write-Host ''
    Write-Host "RaftBalancer local-$Nodes is ready; leader: $leader"
    foreach ($n in 1..$Nodes) {
        Write-Host ("  node-{0}: proxy http://127.0.0.1:{1}  admin http://127.0.0.1:{2}/-/status" -f $n, (7000 + $n), (7100 + $n))
    }
    Write-Host '  backends: b1 http://127.0.0.1:7301, b2 http://127.0.0.1:7302, b3 http://127.0.0.1:7303'
    Write-Host ''
    Write-Host 'Try:'
    Write-Host '  curl -i http://127.0.0.1:7001/hello                                  # served by b1, b2, b3 in turn'
    Write-Host '  curl -s http://127.0.0.1:7102/-/status                               # view, verdicts, leader, stale flag'
    Write-Host '  curl -X POST "http://127.0.0.1:7302/-/control?mode=fail"             # make b2 fail; it leaves the view'
    Write-Host '  curl -X POST "http://127.0.0.1:7302/-/control?mode=ok"               # and comes back'
    Write-Host "  logs: $logDir"

    if ($Detach) {
        Write-Host ''
        Write-Host "Detached (PIDs in $pidFile). Stop with: dotnet pwsh ./run-cluster.ps1 -Stop"
        exit 0
    }

    Write-Host ''
    Write-Host 'Press Ctrl+C to stop.'
    while ($true) { Start-Sleep -Seconds 1 }
}
finally {
    if (-not ($Detach -and $ready)) {
        Write-Host 'Stopping the cluster...'
        Stop-Cluster
    }
}
