// SPDX-License-Identifier: Apache-2.0
// The CEL peer: restricted:latest's checks (baseline + restricted) as CEL expressions, written
// the way a ValidatingAdmissionPolicy writes them (optional chaining, one boolean per check),
// evaluated with @marcbachmann/cel-js on the benchmark corpus. Before timing, every pod's
// failing checks must equal pol's (CORPUS/decisions.txt, written by eval_bench). Prints one
// JSON line: {"peer", "pods", "per_pod_us"}; with a JSON array file (one pod a line, as bench/run.sh
// writes them) also "parse_pods" and "parse_per_pod_us": JSON.parse of each pod's text and the
// same checks, what a gateway or a CI script in JavaScript does per pod.
// usage: node bench/cel_peer.mjs CORPUS_DIR PEER_DIR [ARRAY.json]   (PEER_DIR holds node_modules)
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const [corpusDir, peerDir, arrayFile] = process.argv.slice(2)
const celPackage = join(peerDir, 'node_modules/@marcbachmann/cel-js')
const {Environment} = await import(pathToFileURL(join(celPackage, 'lib/index.js')).href)
const {version} = JSON.parse(readFileSync(join(celPackage, 'package.json'), 'utf8'))

const env = new Environment({unlistedVariablesAreDyn: true, enableOptionalTypes: true, homogeneousAggregateLiterals: false})

// All containers in Pod Security Admission's order, as a VAP `variables` entry would compute them.
const allContainers = env.parse(
  'spec.?initContainers.orValue([]) + spec.?containers.orValue([]) + spec.?ephemeralContainers.orValue([])')

const notWindows = 'spec.?os.?name.orValue("") != "windows"'
const hostUsers = 'spec.?hostUsers.orValue(true) != false'
const badProfile = (p) => `${p}.hasValue() && !(${p}.value().?type.orValue("") in ["RuntimeDefault", "Localhost"])`
const badSeLinux = (o) => `${o}.hasValue() && (!(${o}.value().?type.orValue("") in
  ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"])
  || ${o}.value().?user.orValue("") != "" || ${o}.value().?role.orValue("") != "")`

// In the order pol reports them (stdlib/pss: baseline's checks, then restricted's).
const checks = [
  ['appArmorProfile', `(${badProfile('spec.?securityContext.?appArmorProfile')})
    || containers.exists(c, ${badProfile('c.?securityContext.?appArmorProfile')})
    || metadata.?annotations.orValue({}).exists(k, k.startsWith("container.apparmor.security.beta.kubernetes.io/")
         && !(metadata.annotations[k] in ["", "runtime/default"]) && !metadata.annotations[k].startsWith("localhost/"))`],
  ['hostNamespaces', 'spec.?hostNetwork.orValue(false) || spec.?hostPID.orValue(false) || spec.?hostIPC.orValue(false)'],
  ['hostPorts', 'containers.exists(c, c.?ports.orValue([]).exists(p, p.?hostPort.orValue(0) != 0))'],
  ['hostProbesAndHostLifecycle', `containers.exists(c,
    [c.?livenessProbe, c.?readinessProbe, c.?startupProbe, c.?lifecycle.?postStart, c.?lifecycle.?preStop].exists(h,
      h.?httpGet.?host.orValue("") != "" || h.?tcpSocket.?host.orValue("") != ""))`],
  ['privileged', 'containers.exists(c, c.?securityContext.?privileged.orValue(false) == true)'],
  ['seLinuxOptions', `(${badSeLinux('spec.?securityContext.?seLinuxOptions')})
    || containers.exists(c, ${badSeLinux('c.?securityContext.?seLinuxOptions')})`],
  ['sysctls', `spec.?securityContext.?sysctls.orValue([]).exists(s, !(s.?name.orValue("") in ["kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem", "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]))`],
  ['windowsHostProcess', `spec.?securityContext.?windowsOptions.?hostProcess.orValue(false) == true
    || containers.exists(c, c.?securityContext.?windowsOptions.?hostProcess.orValue(false) == true)`],
  ['allowPrivilegeEscalation',
    `${notWindows} && containers.exists(c, c.?securityContext.?allowPrivilegeEscalation.orValue(true) != false)`],
  ['capabilities_restricted', `${notWindows} && containers.exists(c,
    !("ALL" in c.?securityContext.?capabilities.?drop.orValue([]))
    || c.?securityContext.?capabilities.?add.orValue([]).exists(a, a != "NET_BIND_SERVICE"))`],
  ['procMount_restricted', 'containers.exists(c, c.?securityContext.?procMount.orValue("Default") != "Default")'],
  ['restrictedVolumes', `spec.?volumes.orValue([]).exists(v,
    !["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected",
      "secret"].exists(s, s in v)
    && ["hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
        "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
        "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"].exists(s, s in v))`],
  ['runAsNonRoot', `${hostUsers} && (spec.?securityContext.?runAsNonRoot.orValue(true) == false
    || containers.exists(c, c.?securityContext.?runAsNonRoot.orValue(true) == false)
    || containers.exists(c, !c.?securityContext.?runAsNonRoot.hasValue()
         && spec.?securityContext.?runAsNonRoot.orValue(false) != true))`],
  ['runAsUser', `${hostUsers} && (spec.?securityContext.?runAsUser.orValue(1) == 0
    || containers.exists(c, c.?securityContext.?runAsUser.orValue(1) == 0))`],
  ['seccompProfile_restricted', `${notWindows} && ((${badProfile('spec.?securityContext.?seccompProfile')})
    || containers.exists(c, (${badProfile('c.?securityContext.?seccompProfile')})
         || (!c.?securityContext.?seccompProfile.hasValue() && !spec.?securityContext.?seccompProfile.hasValue())))`],
].map(([id, expression]) => [id, env.parse(expression)])

// The pod's spec and metadata, as pol finds them: a Pod, a workload template, a CronJob's.
function podOf(object) {
  const template = object.kind === 'Pod' ? object
    : object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template
  return {spec: template.spec, metadata: template.metadata ?? {}}
}

function failing(pod) {
  const context = {...pod, containers: allContainers(pod)}
  return checks.filter(([, check]) => check(context) === true).map(([id]) => id)
}

// CEL integers are BigInts; a JSON reader for CEL hands them over as such.
const asCel = (key, value) => (Number.isInteger(value) ? BigInt(value) : value)
const pods = readFileSync(join(corpusDir, 'pods.json'), 'utf8').trim().split('\n')
  .map((line) => podOf(JSON.parse(line, asCel)))
const decisions = readFileSync(join(corpusDir, 'decisions.txt'), 'utf8').split('\n').slice(0, -1)
pods.forEach((pod, i) => {
  const mine = failing(pod).join(' ')
  if (mine !== decisions[i]) {
    console.error(`cel peer disagrees with pol on pod ${i}: [${mine}] vs [${decisions[i]}]`)
    process.exit(1)
  }
})

const runs = Number(process.env.CEL_RUNS ?? 5)
// The median over `runs` of the time `work` takes for `count` pods, in µs per pod.
function perPodMedian(count, work) {
  const perPod = []
  for (let run = 0; run < runs; ++run) {
    const start = process.hrtime.bigint()
    const failures = work()
    perPod.push(Number(process.hrtime.bigint() - start) / 1000 / count)
    if (failures < 0) console.log(failures)  // keeps the work observable
  }
  perPod.sort((a, b) => a - b)
  return perPod[Math.floor(perPod.length / 2)]
}
const result = {peer: `@marcbachmann/cel-js ${version}`, pods: pods.length, per_pod_us: perPodMedian(pods.length, () => {
  let failures = 0
  for (const pod of pods) failures += failing(pod).length
  return failures
})}
if (arrayFile) {
  const texts = readFileSync(arrayFile, 'utf8').split('\n').filter((line) => line.startsWith('{'))
    .map((line) => line.replace(/,$/, ''))
  result.parse_pods = texts.length
  result.parse_per_pod_us = perPodMedian(texts.length, () => {
    let failures = 0
    for (const text of texts) failures += failing(podOf(JSON.parse(text, asCel))).length
    return failures
  })
}
console.log(JSON.stringify(result))
