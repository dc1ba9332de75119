"""Random well-typed policies over the pod schema, for comparing the engines
(tests/jit/differential.py): checks whose conditions mix field reads, `??`, comparisons with
constants and between fields, `in` lists, quantifiers, counted comprehensions, `first`, map keys,
lets, small functions, `if` and the profile's version; and whose rules' messages and locations
(which the JIT's second tier builds) mix templates of every type's display form, lists built,
quoted names, `join`, `unique`, `flatten`, map keys and fields that may be absent. Every field
read is one the Kubernetes schema has, with the type it has, so the checker accepts them.
"""
import random

# Fields of a container, by type (paths from the container).
CONTAINER_BOOL = ["securityContext.privileged", "securityContext.allowPrivilegeEscalation",
                  "securityContext.runAsNonRoot", "securityContext.readOnlyRootFilesystem",
                  "securityContext.windowsOptions.hostProcess"]
CONTAINER_STRING = [("securityContext.procMount", ["Default", "Unmasked", ""]),
                    ("securityContext.seccompProfile.type", ["RuntimeDefault", "Localhost", "Unconfined", ""]),
                    ("securityContext.appArmorProfile.type", ["RuntimeDefault", "Localhost", "Unconfined"]),
                    ("securityContext.seLinuxOptions.type", ["container_t", "spc_t", ""]),
                    ("name", ["c0", "c1", "init", "e", "x"]), ("image", ["registry.example.com/app:1", "x"])]
CONTAINER_INT = ["securityContext.runAsUser"]
CONTAINER_LISTS = [("ports", "p", [("hostPort", "int"), ("containerPort", "int")]),
                   ("securityContext.capabilities.add", "cap", None),
                   ("securityContext.capabilities.drop", "cap", None)]
CAPABILITIES = ["NET_BIND_SERVICE", "NET_ADMIN", "SYS_ADMIN", "CHOWN", "ALL", "NET_RAW"]
SPEC_BOOL = ["hostNetwork", "hostPID", "hostIPC", "hostUsers", "securityContext.runAsNonRoot"]
SPEC_STRING = [("os.name", ["linux", "windows"]), ("securityContext.seccompProfile.type", ["RuntimeDefault", "Localhost"]),
               ("securityContext.seLinuxOptions.user", ["", "root"])]
VOLUME_SOURCES = ["emptyDir", "configMap", "secret", "hostPath", "nfs", "csi", "projected", "gitRepo", "iscsi"]
CONTAINER_LIST_NAMES = ["all_containers", "spec.containers", "spec.initContainers", "spec.ephemeralContainers"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.functions = []
        self.binders = 0

    def name(self, prefix):
        self.binders += 1
        return f"{prefix}{self.binders}"

    def string_list(self, values):
        chosen = self.rng.sample(values, self.rng.randint(1, min(3, len(values))))
        return "[" + ", ".join(f'"{v}"' for v in chosen) + "]"

    def string_comparison(self, left, values):
        """`left` compared with one of `values`, or tested for membership in some of them."""
        op = self.rng.choice(["==", "!=", "in", "not in"])
        right = f'"{self.rng.choice(values)}"' if op in ("==", "!=") else self.string_list(values)
        return f"{left} {op} {right}"

    def container_bool(self, c, depth):
        r = self.rng
        kind = r.randrange(10 if depth > 0 else 6)
        if kind == 0:
            return f"{c}.{r.choice(CONTAINER_BOOL)} == {r.choice(['true', 'false'])}"
        if kind == 1:
            return f"({c}.{r.choice(CONTAINER_BOOL)} ?? {r.choice(['true', 'false'])})"
        if kind == 2:
            path, values = r.choice(CONTAINER_STRING)
            left = f"{c}.{path}" if r.random() < 0.5 else f'({c}.{path} ?? "{r.choice(values)}")'
            return self.string_comparison(left, values)
        if kind == 3:
            return f"({c}.{r.choice(CONTAINER_INT)} ?? {r.choice([0, 1, 1000])}) {r.choice(['==', '!=', '<', '>='])} {r.choice([0, 1000])}"
        if kind == 4:
            return f"{c}.{r.choice(['securityContext', 'securityContext.seLinuxOptions', 'livenessProbe', 'lifecycle'])} {r.choice(['==', '!='])} null"
        if kind == 5:
            path, values = r.choice(CONTAINER_STRING[4:])
            return f'startsWith({c}.{path} ?? "", "{r.choice(values)[:3]}")'
        if kind == 6:
            return f"not ({self.container_bool(c, depth - 1)})"
        if kind == 7:
            return f"({self.container_bool(c, depth - 1)} {r.choice(['and', 'or'])} {self.container_bool(c, depth - 1)})"
        if kind == 8:
            path, binder, fields = r.choice(CONTAINER_LISTS)
            b = self.name(binder)
            if fields:
                field = r.choice(fields)[0]
                inner = f"({b}.{field} ?? 0) {r.choice(['!=', '>', '=='])} {r.choice([0, 80, 8080])}"
            else:
                inner = f"{b} {r.choice(['==', '!='])} \"{r.choice(CAPABILITIES)}\""
            quantifier = r.choice(["any", "all"])
            if r.random() < 0.3:
                return f"count({b} in {c}.{path}: {inner}) {r.choice(['>', '==', '<'])} {r.randint(0, 2)}"
            return f"{quantifier}({b} in {c}.{path}: {inner})"
        # a function of the container
        if len(self.functions) < 4:
            index = len(self.functions)
            f = f"f{index}"
            self.functions.append("")  # its name is taken before its body, which may define others
            parameter = self.name("x")
            body = self.container_bool(parameter, depth - 1)
            if r.random() < 0.4:
                let = self.name("l")
                self.functions[index] = f"fn {f}({parameter}) {{\n  let {let} = {parameter}.securityContext\n  {body} or {let} == null\n}}"
            else:
                self.functions[index] = f"fn {f}({parameter}) = {body}"
            return f"{f}({c})"
        return self.container_bool(c, depth - 1)

    def spec_bool(self, depth):
        r = self.rng
        kind = r.randrange(12 if depth > 0 else 5)
        if kind == 0:
            return f"spec.{r.choice(SPEC_BOOL)} {r.choice(['==', '!='])} {r.choice(['true', 'false'])}"
        if kind == 1:
            path, values = r.choice(SPEC_STRING)
            return self.string_comparison(f"spec.{path}", values)
        if kind == 2:
            return f"version {r.choice(['>=', '<'])} v1.{r.choice([19, 22, 25, 30, 35])}"
        if kind == 3:
            return f"spec.securityContext.{r.choice(['seLinuxOptions', 'seccompProfile', 'appArmorProfile'])} {r.choice(['==', '!='])} null"
        if kind == 4:
            return f"len({r.choice(CONTAINER_LIST_NAMES)}) {r.choice(['>', '==', '<='])} {r.randint(0, 3)}"
        if kind == 5:
            c = self.name("c")
            return f"{r.choice(['any', 'all'])}({c} in {r.choice(CONTAINER_LIST_NAMES)}: {self.container_bool(c, depth - 1)})"
        if kind == 6:
            c = self.name("c")
            filtered = f"[{c} for {c} in {r.choice(CONTAINER_LIST_NAMES)} if {self.container_bool(c, depth - 1)}]"
            if r.random() < 0.3:
                filtered = f"({filtered} + (if {self.spec_bool(0)} then [1] else []))"
            return f"len({filtered}) {r.choice(['>', '==', '!=', '>='])} {r.randint(0, 2)}"
        if kind == 7:
            v, s = self.name("v"), self.name("s")
            sources = self.string_list(VOLUME_SOURCES)
            return f"any({v} in spec.volumes: first([{s} for {s} in {sources} if {v}[{s}] != null]) {r.choice(['!=', '=='])} null)"
        if kind == 8:
            k = self.name("k")
            prefix = r.choice(["container.", "seccomp.", "example.com/", ""])
            value = r.choice(["runtime/default", "localhost/p", ""])
            return f'any({k} in metadata.{r.choice(["annotations", "labels"])}: startsWith({k}, "{prefix}") and metadata.annotations[{k}] {r.choice(["==", "!="])} "{value}")'
        if kind == 9:
            return f"({self.spec_bool(depth - 1)} {r.choice(['and', 'or'])} {self.spec_bool(depth - 1)})"
        if kind == 10:
            return f"(if {self.spec_bool(0)} then {self.spec_bool(depth - 1)} else {self.spec_bool(depth - 1)})"
        return f"not {self.spec_bool(depth - 1)}"

    def explanation(self, bad):
        """A rule's detail and locations, over `bad` (a let: the containers that fail)."""
        r = self.rng
        c, k, s = self.name("c"), self.name("k"), self.name("s")
        details = [
            f'"{{len({bad})}} {{plural(len({bad}), "container", "containers")}}: {{quoted([{c}.name for {c} in {bad}])}}"',
            f'"{{spec.hostNetwork}} {{spec.os.name}} {{version}} {{spec.securityContext.runAsUser}}"',
            f'join(unique(flatten([{c}.securityContext.capabilities.add ?? [] for {c} in all_containers])), ",")',
            f'"{{[{c}.name for {c} in {bad}]}} {{[{c}.securityContext.runAsUser for {c} in {bad}]}}"',
            f'"{{metadata.annotations}} {{first([{k} for {k} in metadata.labels])}}"',
            f'"g" + string(len({bad})) + join([{k} + "=" + metadata.labels[{k}] for {k} in metadata.labels], ";")',
        ]
        locations = [
            f"[{c}.securityContext.privileged ?? {c}.securityContext ?? {c} for {c} in {bad}]",
            "spec",
            f'[spec[{s}] for {s} in ["hostNetwork", "hostPID", "hostIPC"] if spec[{s}] != null]',
            f"[metadata.labels[{k}] for {k} in metadata.labels] + [{k} for {k} in metadata.annotations]",
            bad,
        ]
        return r.choice(details), r.choice(locations)

    def policy(self, checks):
        body = ['fn plural(n, one, many) = if n == 1 then one else many',
                'fn quoted(items) = join(["\\"" + string(item) + "\\"" for item in items], ", ")']
        for i in range(checks):
            lets, names = [], []
            for _ in range(self.rng.randint(0, 2)):
                let = self.name("let")
                lets.append(f"  let {let} = {self.spec_bool(2)}")
                names.append(let)
            bad, c = self.name("bad"), self.name("c")
            lets.append(f"  let {bad} = [{c} for {c} in {self.rng.choice(CONTAINER_LIST_NAMES)} if {self.container_bool(c, 1)}]")
            condition = self.spec_bool(3)
            if names:
                condition = f"({condition}) {self.rng.choice(['or', 'and'])} {self.rng.choice(names)}"
            if self.rng.random() < 0.5:
                condition = f"({condition}) {self.rng.choice(['or', 'and'])} len({bad}) > 0"
            rule = self.rng.choice(["deny", "deny", "warn"])
            message = f"    reason \"g{i}\"\n"
            if self.rng.random() < 0.8:
                detail, at = self.explanation(bad)
                message = f"    reason \"g{i} {{len({bad})}}\"\n    detail {detail}\n    at {at}\n"
            body.append(f"check g{i} {{\n" + "".join(line + "\n" for line in lets)
                        + f"  {rule} if {condition}\n" + message + "}")
        return "\n".join(self.functions + body) + "\n"


def policy(seed, checks=8):
    return Generator(seed).policy(checks)
