#!/usr/bin/env pwsh
<#
.SYNOPSIS
Starts a local RaftBalancer cluster (3 or 5 nodes) and its demo backends on 127.0.0.1.

.DESCRIPTION
Builds once, starts one demo backend per backend listed in the configs (b1..b3 on 7301..7303 for the shipped
configs) and one node per node-*.json of the config directory (cluster-configs/local-N by default; node N: proxy
7000+N, admin 7100+N, Raft 7200+N, write forwarding 7400+N, ops 7500+N: /metrics and the dashboard), waits until a leader is elected and every node
forwards, prints the endpoints, the rbctl commands to try and the admin token, and stops everything on Ctrl+C.
Every address comes from the config files, so a directory of generated configs on other ports works too.
A fresh machine needs only the .NET SDK:  dotnet tool restore; dotnet pwsh ./run-cluster.ps1

.PARAMETER Nodes
3 (default) or 5: picks cluster-configs/local-3 or local-5.
.PARAMETER ConfigDir
A directory of node-*.json configs to run instead of cluster-configs/local-N (e.g. generated on free ports by a test).
The Raft data, logs and PID file go to <ConfigDir>/data (wiped at start).
.PARAMETER Detach
Return once the cluster is ready and leave it running (PIDs in <ConfigDir>/data/cluster.pids).
.PARAMETER Stop
Stop a detached cluster: the one of -ConfigDir if given, else any detached local-3 or local-5 cluster.
.PARAMETER NoBuild
Use the binaries already built for -Configuration.
.PARAMETER TimeoutSeconds
How long to wait for a leader and forwarding. Default 90.
.PARAMETER Configuration
Release (default) or Debug.
#>
param(
    [ValidateSet(3, 5)][int]$Nodes = 3,
    [string]$ConfigDir,
    [switch]$Detach,
    [switch]$Stop,
    [switch]$NoBuild,
    [int]$TimeoutSeconds = 90,
    [ValidateSet('Release', 'Debug')][string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
if ($ConfigDir) { $configDir = (Resolve-Path $ConfigDir).Path } else { $configDir = Join-Path $root "cluster-configs/local-$Nodes" }
$dataDir = Join-Path $configDir 'data'
$pidFile = Join-Path $dataDir 'cluster.pids'

function Stop-Cluster([string]$file) {
    if (-not (Test-Path $file)) { return }
    foreach ($line in Get-Content $file) {
        if (-not $line) { continue }
        $process = Get-Process -Id ([int]$line) -ErrorAction SilentlyContinue
        if ($process) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            $process.WaitForExit(5000) | Out-Null
        }
    }
    Remove-Item $file -Force
}

if ($Stop) {
    $files = if ($ConfigDir) { @($pidFile) } else { @(3, 5 | ForEach-Object { Join-Path $root "cluster-configs/local-$_/data/cluster.pids" }) }
    $found = $false
    foreach ($file in $files) {
        if (Test-Path $file) {
            $found = $true
            Stop-Cluster $file
            Write-Host "Stopped the cluster of $(Split-Path (Split-Path $file))."
        }
    }
    if (-not $found) { Write-Host 'No detached cluster is running.' }
    exit 0
}

if (Test-Path $pidFile) {
    Write-Error "A cluster from $configDir is already running (see $pidFile); stop it with ./run-cluster.ps1 -Stop$(if ($ConfigDir) { " -ConfigDir $ConfigDir" })"
    exit 1
}

# Everything below comes from the configs: node ids and URLs, the backends, the admin token.
$configs = @(Get-ChildItem -Path $configDir -Filter 'node-*.json' | Sort-Object { [int]($_.BaseName -replace '\D', '') } | ForEach-Object {
        $json = Get-Content $_.FullName -Raw | ConvertFrom-Json
        [pscustomobject]@{ Path = $_.FullName; Id = $json.Node.Id; Proxy = $json.Node.ProxyUrl.TrimEnd('/'); Admin = $json.Node.AdminUrl.TrimEnd('/'); Ops = if ($json.Node.PSObject.Properties['OpsUrl'] -and $json.Node.OpsUrl) { $json.Node.OpsUrl.TrimEnd('/') } else { $null }; Json = $json }
    })
if ($configs.Count -eq 0) { Write-Error "No node-*.json in $configDir"; exit 1 }
$backends = @($configs[0].Json.Node.Backends)
$token = if ($configs[0].Json.PSObject.Properties['Admin'] -and $configs[0].Json.Admin.PSObject.Properties['Token']) { $configs[0].Json.Admin.Token } else { $null }
# The nodes read RAFTBALANCER_ADMIN_TOKEN over the file's Admin:Token: print the token they actually use.
$tokenSource = 'Admin:Token in the configs'
if ($env:RAFTBALANCER_ADMIN_TOKEN) { $token = $env:RAFTBALANCER_ADMIN_TOKEN; $tokenSource = 'RAFTBALANCER_ADMIN_TOKEN' }

if (-not $NoBuild) {
    Write-Host "Building ($Configuration)..."
    foreach ($project in 'src/RaftBalancer.Node', 'src/RaftBalancer.DemoBackend', 'src/RaftBalancer.Cli') {
        dotnet build (Join-Path $root $project) -c $Configuration --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { Write-Error "Build of $project failed."; exit 1 }
    }
}

$nodeDll = Join-Path $root "src/RaftBalancer.Node/bin/$Configuration/net10.0/RaftBalancer.Node.dll"
$backendDll = Join-Path $root "src/RaftBalancer.DemoBackend/bin/$Configuration/net10.0/RaftBalancer.DemoBackend.dll"
$rbctlDll = Join-Path $root "src/RaftBalancer.Cli/bin/$Configuration/net10.0/rbctl.dll"
foreach ($dll in $nodeDll, $backendDll) {
    if (-not (Test-Path $dll)) { Write-Error "$dll is missing: build first (or drop -NoBuild)."; exit 1 }
}

# Mutual TLS between the nodes: the cluster's certificates are made once (rbctl certs init) and kept in $configDir/certs.
$certDir = Join-Path $configDir 'certs'
if (-not (Test-Path (Join-Path $certDir 'ca.crt'))) {
    Write-Host "Making the cluster's certificates in $certDir..."
    dotnet $rbctlDll certs init --out $certDir --members (($configs | ForEach-Object { $_.Id }) -join ',') | Out-Null
    if ($LASTEXITCODE -ne 0) { Write-Error "rbctl certs init failed."; exit 1 }
}
function Get-TlsArguments([string]$id) {
    @('--Cluster:CaFile', (Join-Path $certDir 'ca.crt'), '--Cluster:CertificateFile', (Join-Path $certDir "$id.crt"), '--Cluster:KeyFile', (Join-Path $certDir "$id.key"))
}

# A fresh Raft log each run: the demo cluster starts from its config files.
if (Test-Path $dataDir) { Remove-Item $dataDir -Recurse -Force }
$logDir = Join-Path $dataDir 'logs'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
New-Item -ItemType File -Force -Path $pidFile | Out-Null

# The admin port speaks HTTP/2 only (cleartext, prior knowledge, for gRPC); Invoke-RestMethod cannot, so read /-/status with an h2 HttpClient.
$adminHttp = [System.Net.Http.HttpClient]::new()
$adminHttp.DefaultRequestVersion = [System.Net.HttpVersion]::Version20
$adminHttp.DefaultVersionPolicy = [System.Net.Http.HttpVersionPolicy]::RequestVersionExact
$adminHttp.Timeout = [TimeSpan]::FromSeconds(2)
function Get-AdminStatus([string]$adminUrl) {
    $adminHttp.GetStringAsync("$adminUrl/-/status").GetAwaiter().GetResult() | ConvertFrom-Json
}

function Start-Logged([string]$name, [string[]]$arguments) {
    $out = Join-Path $logDir "$name.log"
    $err = Join-Path $logDir "$name.err"
    if ($IsWindows) {
        $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput $out -RedirectStandardError $err
    }
    else {
        # The shell opens the log files and execs dotnet (same PID), so nothing holds a pipe to this script:
        # a detached cluster keeps logging after the script exits.
        $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in @('-c', 'exec dotnet "$@" >"$RB_LOG_OUT" 2>"$RB_LOG_ERR" </dev/null', 'sh') + $arguments) { $start.ArgumentList.Add($a) }
        $start.Environment['RB_LOG_OUT'] = $out
        $start.Environment['RB_LOG_ERR'] = $err
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
    }
    Add-Content -Path $pidFile -Value $process.Id
    return $process
}

$ready = $false
try {
    foreach ($b in $backends) {
        Start-Logged $b.Id @($backendDll, '--id', $b.Id, '--urls', $b.Url) | Out-Null
    }
    foreach ($c in $configs) {
        Start-Logged $c.Id (@($nodeDll, '--config', $c.Path) + (Get-TlsArguments $c.Id)) | Out-Null
    }

    Write-Host "Waiting for a leader and for every node to forward..."
    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    while (-not $ready) {
        if ((Get-Date) -gt $deadline) { throw "The cluster was not ready within $TimeoutSeconds s; logs in $logDir" }
        Start-Sleep -Milliseconds 250
        $ready = $true
        foreach ($c in $configs) {
            try {
                $status = Get-AdminStatus $c.Admin
                $probe = Invoke-WebRequest -Uri "$($c.Proxy)/" -TimeoutSec 2 -SkipHttpErrorCheck
                if (-not $status.leaderId -or $status.stale -or $probe.StatusCode -ne 200) { $ready = $false; break }
            }
            catch { $ready = $false; break }
        }
    }

    $leader = (Get-AdminStatus $configs[0].Admin).leaderId
    $adminList = ($configs | ForEach-Object { $_.Admin }) -join ','
    $first = $configs[0]
    $second = $configs[[Math]::Min(1, $configs.Count - 1)]
    $someBackend = $backends[[Math]::Min(1, $backends.Count - 1)]
    $rbctl = if (Test-Path $rbctlDll) { "dotnet $([IO.Path]::GetRelativePath($PWD.Path, $rbctlDll))" } else { "dotnet run --project $([IO.Path]::GetRelativePath($PWD.Path, (Join-Path $root 'src/RaftBalancer.Cli'))) --" }

    Write-Host ''
    Write-Host "RaftBalancer ($($configs.Count) nodes, $configDir) is ready; leader: $leader"
    foreach ($c in $configs) {
        Write-Host ("  {0}: proxy {1}  admin {2} (gRPC; {2}/-/status)" -f $c.Id, $c.Proxy, $c.Admin)
    }
    $withOps = @($configs | Where-Object { $_.Ops })
    if ($withOps.Count -gt 0) {
        Write-Host ("  dashboard: {0}/dashboard/   (any node's shows the whole cluster)" -f $withOps[0].Ops)
        Write-Host ('  metrics:   ' + (($withOps | ForEach-Object { "$($_.Ops)/metrics" }) -join '  '))
    }
    Write-Host ('  backends: ' + (($backends | ForEach-Object { "$($_.Id) $($_.Url)" }) -join ', '))
    Write-Host ''
    Write-Host 'Try:'
    Write-Host "  curl -i $($first.Proxy)/hello                        # served by each backend in turn"
    Write-Host "  curl -s --http2-prior-knowledge $($second.Admin)/-/status                    # view, verdicts, leader, stale flag"
    Write-Host "  curl -X POST `"$($someBackend.Url)/-/control?mode=fail`"   # make $($someBackend.Id) fail; it leaves the view"
    Write-Host "  curl -X POST `"$($someBackend.Url)/-/control?mode=ok`"     # and comes back"
    Write-Host ''
    Write-Host 'rbctl (the admin CLI, over gRPC to any node; src/RaftBalancer.Cli/README.md):'
    Write-Host "  export RAFTBALANCER_NODES=$adminList"
    if ($token) {
        Write-Host "  export RAFTBALANCER_ADMIN_TOKEN=$token      # the admin token the nodes use ($tokenSource); mutations need it"
    }
    else {
        Write-Host '  (no Admin:Token in the configs: mutations will be refused until one is set)'
    }
    Write-Host "  $rbctl status"
    Write-Host "  $rbctl backends list"
    Write-Host "  $rbctl backends drain --id $($someBackend.Id)"
    Write-Host "  $rbctl backends undrain --id $($someBackend.Id)"
    Write-Host "  $rbctl backends set-weight --id $($someBackend.Id) --weight 3"
    Write-Host "  $rbctl policy set --policy least-connections"
    Write-Host "  $rbctl watch"
    Write-Host "  logs: $logDir"
    Write-Host "  node-to-node traffic (Raft, write forwarding): mutual TLS, certificates in $certDir"

    $stopCommand = 'dotnet pwsh ./run-cluster.ps1 -Stop' + $(if ($ConfigDir) { " -ConfigDir $configDir" } else { '' })
    if ($Detach) {
        Write-Host ''
        Write-Host "Detached (PIDs in $pidFile). Stop with: $stopCommand"
        exit 0
    }

    Write-Host ''
    Write-Host 'Press Ctrl+C to stop.'
    while ($true) { Start-Sleep -Seconds 1 }
}
finally {
    if (-not ($Detach -and $ready)) {
        Write-Host 'Stopping the cluster...'
        Stop-Cluster $pidFile
    }
}
