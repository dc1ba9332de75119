// SPDX-License-Identifier: Apache-2.0
// Evaluation benchmarks: restricted:latest (the stdlib, interpreted) on already-loaded pods,
// one thread and two; JSON load + evaluation as a gateway does it per request; and the
// mutations of policies/welkin.pol. Reports the cost per pod.
// Usage: eval_bench CORPUS_DIR WELKIN_POL [Google Benchmark flags].
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/restricted_floor.hpp"
#include "lang/checker.hpp"
#include <filesystem>

#include "lang/loader.hpp"
#include "lang/stdlib.hpp"
#include "jit/jit.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/mutator.hpp"
#include "runtime/workload.hpp"

namespace {

std::string corpus_dir, welkin_path;

std::unique_ptr<pol::runtime::Program> compile(std::shared_ptr<const pol::lang::Source> source) {
  pol::lang::Diagnostics diagnostics;
  const std::string folder = std::filesystem::path(source->name()).parent_path().string();
  auto modules = pol::lang::load_modules(std::move(source), pol::lang::file_resolver(folder, 16 << 20), diagnostics);
  auto program = diagnostics.has_errors() ? nullptr : pol::lang::check(modules, diagnostics);
  if (!program) {
    std::fprintf(stderr, "%s", diagnostics.render().c_str());
    std::exit(2);
  }
  return program;
}

// The corpus's pods (pods.json, one object a line), each its own source as requests are.
struct Corpus {
  std::vector<std::shared_ptr<const pol::lang::Source>> sources;
  std::vector<pol::runtime::LoadResult> loaded;
  size_t bytes = 0;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    std::ifstream in(corpus_dir + "/pods.json");
    for (std::string line; std::getline(in, line);) {
      out.bytes += line.size();
      out.sources.push_back(std::make_shared<const pol::lang::Source>("pod", line));
      out.loaded.push_back(pol::runtime::read_json(out.sources.back()));
    }
    return out;
  }();
  return c;
}

const pol::runtime::Program& restricted() {
  static const auto program = compile(pol::lang::stdlib_source("std/pss/restricted.pol"));
  return *program;
}

void per_pod(benchmark::State& state, size_t pods) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pods));
  state.counters["per_pod"] = benchmark::Counter(static_cast<double>(pods),
                                                 benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void evaluate(benchmark::State& state) {
  const Corpus& c = corpus();
  const pol::runtime::Interpreter interpreter(restricted(), *pol::runtime::parse_profile("restricted:latest"), "restricted");
  size_t violations = 0;
  for (auto _ : state) {
    for (const auto& loaded : c.loaded) {
      const auto& document = loaded.documents.front();
      const auto pod = pol::runtime::find_pod(document.root);
      violations += interpreter.evaluate(document, *pod).violations.size();
    }
  }
  benchmark::DoNotOptimize(violations);
  per_pod(state, c.loaded.size());
}

std::shared_ptr<const pol::runtime::CompiledChecks> optimized_checks;  // jit_interpreter(true)'s

// The interpreter with the JIT's compiled checks: each check compiled code passes is not
// interpreted; the others (a rule fires, or the check was not compiled) are. `optimized`: the
// second tier's code (what a server runs once warm), else the first's (docs/jit.md, "Two tiers").
const pol::runtime::Interpreter& jit_interpreter(bool optimized = true) {
  const auto make = [](bool optimized) {
    pol::runtime::Interpreter i(restricted(), *pol::runtime::parse_profile("restricted:latest"), "restricted");
    std::string error;
    std::vector<std::string> interpreted, unexplained;
    const auto start = std::chrono::steady_clock::now();
    auto checks = pol::jit::compile(restricted(), i.profile(), i.plan(), error, &interpreted,
                                    optimized ? 0 : pol::jit::default_optimize_after, &unexplained);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!checks) {
      std::fprintf(stderr, "jit: %s\n", error.c_str());
      std::exit(1);
    }
    std::fprintf(stderr, "jit (%s): %zu of %zu checks compiled in %.1f ms\n", optimized ? "optimized" : "first tier",
                 i.plan().size() - interpreted.size(), i.plan().size(), ms);
    for (const std::string& line : interpreted) std::fprintf(stderr, "jit: interpreted: %s\n", line.c_str());
    for (const std::string& line : unexplained) std::fprintf(stderr, "jit: explained by the interpreter: %s\n", line.c_str());
    if (optimized) optimized_checks = checks;
    i.use(std::move(checks));
    return i;
  };
  static const pol::runtime::Interpreter second = make(true);
  if (optimized) return second;
  static const pol::runtime::Interpreter first = make(false);
  return first;
}

void evaluate_jit(benchmark::State& state) {
  const Corpus& c = corpus();
  const pol::runtime::Interpreter& interpreter = jit_interpreter(state.range(0) == 1);
  size_t violations = 0;
  for (auto _ : state) {
    for (const auto& loaded : c.loaded) {
      const auto& document = loaded.documents.front();
      violations += interpreter.evaluate(document, *pol::runtime::find_pod(document.root)).violations.size();
    }
  }
  benchmark::DoNotOptimize(violations);
  per_pod(state, c.loaded.size());
}

// The checks compiled code does not pass, asking compiled code for decisions only (no messages):
// the floor's output, which checks fail. verify_floor() requires that compiled code
// decides every check of the corpus (a failing one fires; none raises or bails).
std::vector<std::string> jit_decisions(const pol::runtime::PodView& pod) {
  const pol::runtime::Interpreter& interpreter = jit_interpreter(true);
  pol::runtime::Budget budget(restricted().limits);
  const pol::runtime::Budget::Scope scope(budget);
  pol::runtime::Evaluation context;
  context.pod = &pod;
  context.profile = &interpreter.profile();
  context.budget = &budget;
  std::vector<std::string> failing;
  for (size_t i = 0; i < interpreter.plan().size(); ++i) {
    if (!optimized_checks->decides(i, context, /*explain=*/false)) failing.push_back(interpreter.plan()[i]->id);
  }
  return failing;
}

void decide_jit(benchmark::State& state) {
  const Corpus& c = corpus();
  size_t failing = 0;
  for (auto _ : state) {
    for (const auto& loaded : c.loaded) failing += jit_decisions(*pol::runtime::find_pod(loaded.documents.front().root)).size();
  }
  benchmark::DoNotOptimize(failing);
  per_pod(state, c.loaded.size());
}

// The floor: the same decisions hand-written in C++ (bench/restricted_floor.cpp).
void floor(benchmark::State& state) {
  const Corpus& c = corpus();
  size_t violations = 0;
  for (auto _ : state) {
    for (const auto& loaded : c.loaded) {
      violations += pol::bench::restricted_floor(*pol::runtime::find_pod(loaded.documents.front().root)).size();
    }
  }
  benchmark::DoNotOptimize(violations);
  per_pod(state, c.loaded.size());
}

// A floor or a tier of the JIT that disagrees with the interpreter measures something else:
// refuse to run (this also compiles both tiers before anything is timed). pol's
// decisions go to CORPUS/decisions.txt (a line of failing check ids per pod), which the CEL
// peer must agree with in turn.
void verify_floor() {
  std::ofstream decisions(corpus_dir + "/decisions.txt");
  const pol::runtime::Interpreter interpreter(restricted(), *pol::runtime::parse_profile("restricted:latest"), "restricted");
  size_t failing = 0;
  for (const auto& loaded : corpus().loaded) {
    const auto& document = loaded.documents.front();
    const auto pod = pol::runtime::find_pod(document.root);
    std::vector<std::string> pol_ids, floor_ids;
    for (const auto& v : interpreter.evaluate(document, *pod).violations) pol_ids.push_back(v.check);
    for (const char* id : pol::bench::restricted_floor(*pod)) floor_ids.emplace_back(id);
    const pol::runtime::Result interpreted = interpreter.evaluate(document, *pod);
    if (pol_ids != floor_ids || !(interpreted == jit_interpreter(true).evaluate(document, *pod)) ||
        !(interpreted == jit_interpreter(false).evaluate(document, *pod)) || jit_decisions(*pod) != floor_ids) {
      std::fprintf(stderr, "floor or JIT disagrees with restricted:latest on pod %s\n", std::string(pod->name).c_str());
      std::exit(1);
    }
    failing += !pol_ids.empty();
    for (size_t i = 0; i < pol_ids.size(); ++i) decisions << (i ? " " : "") << pol_ids[i];
    decisions << "\n";
  }
  std::fprintf(stderr, "floor: agrees with restricted:latest on all %zu pods (%zu of them fail a check)\n",
               corpus().loaded.size(), failing);
}

// JSON text to verdict, as a gateway does it per request (read, the pod found and its fields'
// types checked, evaluated); the JIT when state.range(0) is 1.
void load_and_evaluate_json(benchmark::State& state) {
  const Corpus& c = corpus();
  const pol::runtime::Interpreter plain(restricted(), *pol::runtime::parse_profile("restricted:latest"), "restricted");
  const pol::runtime::Interpreter& interpreter = state.range(0) == 1 ? jit_interpreter() : plain;
  size_t violations = 0;
  for (auto _ : state) {
    for (const auto& source : c.sources) {
      const pol::runtime::LoadResult loaded = pol::runtime::read_json(source);
      const auto& document = loaded.documents.front();
      // The objects of the document with a pod spec, typed against the Kubernetes schema.
      const pol::runtime::Contents contents = pol::runtime::read_objects(document.root);
      violations += interpreter.evaluate(document, contents.pods.front()).violations.size();
    }
  }
  benchmark::DoNotOptimize(violations);
  per_pod(state, c.sources.size());
}

void mutate_welkin(benchmark::State& state) {
  const Corpus& c = corpus();
  std::string error;
  static const auto program = compile(pol::lang::Source::from_file(welkin_path, error));
  const pol::runtime::Mutator mutator(*program, *pol::runtime::parse_profile("restricted:latest"));
  size_t operations = 0;
  for (auto _ : state) {
    for (const auto& loaded : c.loaded) {
      pol::runtime::Arena arena;
      operations += mutator.mutate(loaded.documents.front().root, arena).patch.size();
    }
  }
  benchmark::DoNotOptimize(operations);
  per_pod(state, c.loaded.size());
}

}  // namespace

BENCHMARK(evaluate)->Unit(benchmark::kMillisecond)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(floor)->Unit(benchmark::kMillisecond);
BENCHMARK(evaluate_jit)->Unit(benchmark::kMillisecond)->Name("evaluate_jit")->Arg(1);
BENCHMARK(evaluate_jit)->Unit(benchmark::kMillisecond)->Name("evaluate_jit_first_tier")->Arg(0);
BENCHMARK(decide_jit)->Unit(benchmark::kMillisecond);
BENCHMARK(load_and_evaluate_json)->Unit(benchmark::kMillisecond)->Arg(0);
BENCHMARK(load_and_evaluate_json)->Unit(benchmark::kMillisecond)->Name("load_and_evaluate_json_jit")->Arg(1);

// Compiling a shipped policy's checks with the JIT (a fresh compile each iteration): each stdlib
// level at :latest, and the policies of policies/ at restricted:latest.
void jit_compile(benchmark::State& state, std::string policy, std::string profile, bool optimized) {
  if (!pol::jit::available()) return state.SkipWithError("built without the JIT");
  std::string error;
  static std::map<std::string, std::unique_ptr<pol::runtime::Program>> programs;
  auto& program = programs[policy];
  if (!program) {
    program = policy.starts_with("std/") ? compile(pol::lang::stdlib_source(policy))
                                         : compile(pol::lang::Source::from_file(policy, error));
  }
  const pol::runtime::Interpreter interpreter(*program, *pol::runtime::parse_profile(profile), "p");
  size_t compiled = 0;
  for (auto _ : state) {
    std::vector<std::string> interpreted;
    if (!pol::jit::compile(*program, interpreter.profile(), interpreter.plan(), error, &interpreted,
                           optimized ? 0 : pol::jit::default_optimize_after)) {
      return state.SkipWithError(error.c_str());
    }
    compiled = interpreter.plan().size() - interpreted.size();
  }
  state.counters["checks"] = static_cast<double>(interpreter.plan().size());
  state.counters["compiled"] = static_cast<double>(compiled);
}
BENCHMARK(mutate_welkin)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: eval_bench CORPUS_DIR WELKIN_POL [benchmark flags]\n");
    return 2;
  }
  corpus_dir = argv[1];
  welkin_path = argv[2];
  argv[2] = argv[0];
  argv += 2;
  argc -= 2;
  const std::string policies = std::filesystem::path(welkin_path).parent_path().string();
  for (const auto& [policy, profile] : std::vector<std::pair<std::string, std::string>>{
           {"std/pss/restricted.pol", "restricted:latest"}, {"std/pss/baseline.pol", "baseline:latest"},
           {policies + "/welkin.pol", "restricted:latest"}, {policies + "/domino.pol", "restricted:latest"},
           {policies + "/runai.pol", "restricted:latest"}}) {
    for (const bool optimized : {false, true}) {
      const std::string name = (optimized ? "jit_compile_optimized/" : "jit_compile/") +
                               std::filesystem::path(policy).stem().string();
      benchmark::RegisterBenchmark(name.c_str(), jit_compile, policy, profile, optimized)->Unit(benchmark::kMillisecond);
    }
  }
  corpus();  // load outside the timed loops
  verify_floor();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
