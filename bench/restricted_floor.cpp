// SPDX-License-Identifier: Apache-2.0
// Each check below is the decision of its namesake in stdlib/pss at v1.37 ("latest"), with the
// stdlib's semantics: an explicit YAML null reads as absent, `x ?? ""` compares a missing
// string as empty, and a value of the wrong type fails an allow-list.
#include "bench/restricted_floor.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace pol::bench {

namespace {

using runtime::Node;
using runtime::NodeKind;

const Node* field(const Node* node, std::string_view key) {
  if (!node) return nullptr;
  const Node* value = node->find(key);
  return value && value->kind != NodeKind::Null ? value : nullptr;
}

template <class... Keys>
const Node* path(const Node* node, Keys... keys) {
  ((node = field(node, keys)), ...);
  return node;
}

bool is_bool(const Node* n, bool b) { return n && n->kind == NodeKind::Bool && n->boolean == b; }
bool is_zero(const Node* n) {
  return n && ((n->kind == NodeKind::Int && n->integer == 0) || (n->kind == NodeKind::Float && n->number == 0));
}
bool is_string(const Node* n, std::string_view s) { return n && n->kind == NodeKind::String && n->string() == s; }

template <size_t N>
bool one_of(const Node* n, const std::array<std::string_view, N>& allowed) {
  return n && n->kind == NodeKind::String && std::find(allowed.begin(), allowed.end(), n->string()) != allowed.end();
}

// `(n ?? "") != ""`
bool non_empty(const Node* n) { return n && !(n->kind == NodeKind::String && n->size == 0); }

template <class Visit>
bool any_item(const Node* list, Visit&& visit) {
  if (!list || list->kind != NodeKind::List) return false;
  for (uint32_t i = 0; i < list->size; ++i) {
    if (visit(&list->items[i])) return true;
  }
  return false;
}

// Init containers, containers, ephemeral containers: Pod Security Admission's visit order.
template <class Visit>
bool any_container(const Node* spec, Visit&& visit) {
  return any_item(field(spec, "initContainers"), visit) || any_item(field(spec, "containers"), visit) ||
         any_item(field(spec, "ephemeralContainers"), visit);
}

constexpr std::array<std::string_view, 2> profile_types{"RuntimeDefault", "Localhost"};

// A profile that is set and whose type (absent: "") is not allowed.
bool bad_profile(const Node* profile) { return profile && !one_of(field(profile, "type"), profile_types); }

bool app_armor(const runtime::PodView& pod) {
  if (bad_profile(path(pod.spec, "securityContext", "appArmorProfile"))) return true;
  if (any_container(pod.spec, [](const Node* c) { return bad_profile(path(c, "securityContext", "appArmorProfile")); })) {
    return true;
  }
  const Node* annotations = field(pod.metadata, "annotations");
  if (!annotations || annotations->kind != NodeKind::Map) return false;
  for (uint32_t i = 0; i < annotations->size; ++i) {
    const runtime::Member& m = annotations->members[i];
    if (!m.key().starts_with("container.apparmor.security.beta.kubernetes.io/")) continue;
    const Node* value = m.value.kind == NodeKind::Null ? nullptr : &m.value;
    if (is_string(value, "") || is_string(value, "runtime/default")) continue;
    if (value && value->kind == NodeKind::String && value->string().starts_with("localhost/")) continue;
    return true;
  }
  return false;
}

bool host_namespaces(const runtime::PodView& pod) {
  return is_bool(field(pod.spec, "hostNetwork"), true) || is_bool(field(pod.spec, "hostPID"), true) ||
         is_bool(field(pod.spec, "hostIPC"), true);
}

bool host_ports(const runtime::PodView& pod) {
  return any_container(pod.spec, [](const Node* c) {
    return any_item(field(c, "ports"), [](const Node* p) {
      const Node* port = field(p, "hostPort");
      return port && !is_zero(port);
    });
  });
}

bool host_probes(const runtime::PodView& pod) {
  return any_container(pod.spec, [](const Node* c) {
    const std::array<const Node*, 5> handlers{field(c, "livenessProbe"), field(c, "readinessProbe"), field(c, "startupProbe"),
                                              path(c, "lifecycle", "postStart"), path(c, "lifecycle", "preStop")};
    return std::any_of(handlers.begin(), handlers.end(), [](const Node* h) {
      return non_empty(path(h, "httpGet", "host")) || non_empty(path(h, "tcpSocket", "host"));
    });
  });
}

bool privileged(const runtime::PodView& pod) {
  return any_container(pod.spec, [](const Node* c) { return is_bool(path(c, "securityContext", "privileged"), true); });
}

bool bad_selinux(const Node* options) {
  constexpr std::array<std::string_view, 5> types{"", "container_t", "container_init_t", "container_kvm_t",
                                                  "container_engine_t"};
  if (!options) return false;
  const Node* type = field(options, "type");
  return (type && !one_of(type, types)) || non_empty(field(options, "user")) || non_empty(field(options, "role"));
}

bool se_linux(const runtime::PodView& pod) {
  return bad_selinux(path(pod.spec, "securityContext", "seLinuxOptions")) ||
         any_container(pod.spec, [](const Node* c) { return bad_selinux(path(c, "securityContext", "seLinuxOptions")); });
}

bool sysctls(const runtime::PodView& pod) {
  constexpr std::array<std::string_view, 14> safe{
      "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
      "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
      "net.ipv4.tcp_wmem", "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"};
  return any_item(path(pod.spec, "securityContext", "sysctls"), [&](const Node* s) { return !one_of(field(s, "name"), safe); });
}

bool windows_host_process(const runtime::PodView& pod) {
  return is_bool(path(pod.spec, "securityContext", "windowsOptions", "hostProcess"), true) ||
         any_container(pod.spec, [](const Node* c) {
           return is_bool(path(c, "securityContext", "windowsOptions", "hostProcess"), true);
         });
}

bool windows(const runtime::PodView& pod) { return is_string(path(pod.spec, "os", "name"), "windows"); }
bool user_namespace(const runtime::PodView& pod) { return is_bool(field(pod.spec, "hostUsers"), false); }

bool privilege_escalation(const runtime::PodView& pod) {
  return !windows(pod) && any_container(pod.spec, [](const Node* c) {
    return !is_bool(path(c, "securityContext", "allowPrivilegeEscalation"), false);
  });
}

bool capabilities(const runtime::PodView& pod) {
  return !windows(pod) && any_container(pod.spec, [](const Node* c) {
    const Node* caps = path(c, "securityContext", "capabilities");
    const bool drops_all = any_item(field(caps, "drop"), [](const Node* cap) { return is_string(cap, "ALL"); });
    return !drops_all || any_item(field(caps, "add"), [](const Node* cap) { return !is_string(cap, "NET_BIND_SERVICE"); });
  });
}

bool proc_mount(const runtime::PodView& pod) {
  return any_container(pod.spec, [](const Node* c) {
    const Node* mount = path(c, "securityContext", "procMount");
    return mount && !is_string(mount, "Default");
  });
}

bool restricted_volumes(const runtime::PodView& pod) {
  constexpr std::array<std::string_view, 9> allowed{"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                                                    "image", "persistentVolumeClaim", "projected", "secret"};
  constexpr std::array<std::string_view, 21> restricted{
      "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs",
      "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte",
      "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"};
  return any_item(field(pod.spec, "volumes"), [&](const Node* v) {
    if (std::any_of(allowed.begin(), allowed.end(), [&](std::string_view s) { return field(v, s); })) return false;
    return std::any_of(restricted.begin(), restricted.end(), [&](std::string_view s) { return field(v, s); });
  });
}

bool run_as_non_root(const runtime::PodView& pod) {
  if (user_namespace(pod)) return false;
  const Node* pod_setting = path(pod.spec, "securityContext", "runAsNonRoot");
  if (is_bool(pod_setting, false)) return true;
  const bool pod_true = is_bool(pod_setting, true);
  return any_container(pod.spec, [&](const Node* c) {
    const Node* setting = path(c, "securityContext", "runAsNonRoot");
    return is_bool(setting, false) || (!setting && !pod_true);
  });
}

bool run_as_user(const runtime::PodView& pod) {
  return !user_namespace(pod) &&
         (is_zero(path(pod.spec, "securityContext", "runAsUser")) ||
          any_container(pod.spec, [](const Node* c) { return is_zero(path(c, "securityContext", "runAsUser")); }));
}

bool seccomp(const runtime::PodView& pod) {
  if (windows(pod)) return false;
  const Node* profile = path(pod.spec, "securityContext", "seccompProfile");
  const bool pod_bad = bad_profile(profile);
  if (pod_bad) return true;
  return any_container(pod.spec, [&](const Node* c) {
    const Node* own = path(c, "securityContext", "seccompProfile");
    return bad_profile(own) || (!own && !profile);
  });
}

}  // namespace

std::vector<const char*> restricted_floor(const runtime::PodView& pod) {
  std::vector<const char*> failed;
  const auto check = [&](const char* id, bool fails) {
    if (fails) failed.push_back(id);
  };
  check("appArmorProfile", app_armor(pod));
  check("hostNamespaces", host_namespaces(pod));
  check("hostPorts", host_ports(pod));
  check("hostProbesAndHostLifecycle", host_probes(pod));
  check("privileged", privileged(pod));
  check("seLinuxOptions", se_linux(pod));
  check("sysctls", sysctls(pod));
  check("windowsHostProcess", windows_host_process(pod));
  check("allowPrivilegeEscalation", privilege_escalation(pod));
  check("capabilities_restricted", capabilities(pod));
  check("procMount_restricted", proc_mount(pod));
  check("restrictedVolumes", restricted_volumes(pod));
  check("runAsNonRoot", run_as_non_root(pod));
  check("runAsUser", run_as_user(pod));
  check("seccompProfile_restricted", seccomp(pod));
  return failed;
}

}  // namespace pol::bench
