// SPDX-License-Identifier: Apache-2.0
// Load benchmarks: YAML (libyaml events) and JSON (simdjson) into pol's document model, one pod
// document at a time as a gateway receives them, and a whole multi-document file as CI reads it.
// Reports bytes/s and pods/s. yaml-cpp's YAML::Load of the same documents is measured beside
// them: the reason pol reads YAML with libyaml. Usage: load_bench CORPUS_DIR [Google Benchmark flags].
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/document.hpp"

namespace {

std::string corpus_dir;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The documents of a corpus file, one Source each: YAML split at `---`, JSON at newlines.
std::vector<std::shared_ptr<const pol::lang::Source>> documents(const std::string& file, bool json) {
  const std::string all = read(corpus_dir + "/" + file);
  std::vector<std::shared_ptr<const pol::lang::Source>> out;
  const std::string separator = json ? "\n" : "\n---\n";
  for (size_t begin = 0, end; begin < all.size(); begin = end + separator.size()) {
    end = all.find(separator, begin);
    if (end == std::string::npos) end = all.size();
    if (end > begin) out.push_back(std::make_shared<const pol::lang::Source>("pod", all.substr(begin, end - begin)));
  }
  return out;
}

void load_each(benchmark::State& state, const char* file, bool json) {
  const auto docs = documents(file, json);
  size_t bytes = 0;
  for (const auto& d : docs) bytes += d->text().size();
  for (auto _ : state) {
    for (const auto& d : docs) {
      pol::runtime::LoadResult loaded = json ? pol::runtime::read_json(d) : pol::runtime::read_yaml(d);
      benchmark::DoNotOptimize(loaded.documents.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
  state.counters["per_pod"] = benchmark::Counter(static_cast<double>(docs.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void load_each_yaml_cpp(benchmark::State& state) {
  const auto docs = documents("pods.yaml", false);
  size_t bytes = 0;
  for (const auto& d : docs) bytes += d->text().size();
  for (auto _ : state) {
    for (const auto& d : docs) {
      YAML::Node node = YAML::Load(std::string(d->text()));
      benchmark::DoNotOptimize(node);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
  state.counters["per_pod"] = benchmark::Counter(static_cast<double>(docs.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void load_stream(benchmark::State& state, const char* file) {
  const auto source = std::make_shared<const pol::lang::Source>(file, read(corpus_dir + "/" + file));
  size_t pods = 0;
  for (auto _ : state) {
    pol::runtime::LoadResult loaded = pol::runtime::read_document_stream(source);
    pods = loaded.documents.size();
    benchmark::DoNotOptimize(loaded.documents.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * source->text().size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pods));
}

}  // namespace

BENCHMARK_CAPTURE(load_each, yaml_per_pod, "pods.yaml", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_each, json_per_pod, "pods.json", true)->Unit(benchmark::kMillisecond);
BENCHMARK(load_each_yaml_cpp)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_stream, yaml_file, "pods.yaml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_stream, json_file, "pods.json")->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: load_bench CORPUS_DIR [benchmark flags]\n");
    return 2;
  }
  corpus_dir = argv[1];
  argv[1] = argv[0];
  ++argv;
  --argc;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
