// Rule-engine throughput: the built-in pack plus GuardDog's rules over real Python files.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>

#include "moat/pattern/builtin_rules.hpp"
#include "moat/pattern/engine.hpp"
#include "moat/util/file.hpp"

namespace {

namespace fs = std::filesystem;

moat::pattern::RuleSet all_rules() {
  moat::pattern::RuleSet set;
  moat::pattern::load_builtin_rules(set);
  const fs::path guarddog = fs::path(MOAT_SOURCE_DIR).parent_path() / "shared/data/rules/guarddog";
  if (fs::is_directory(guarddog)) moat::pattern::load_rules(guarddog, set);
  return set;
}

// The CPython standard library installed on the machine (MOAT_BENCH_CORPUS overrides).
std::vector<std::pair<std::string, std::string>> corpus() {
  fs::path root = "/usr/lib/python3.11";
  if (const char* override_dir = std::getenv("MOAT_BENCH_CORPUS")) root = override_dir;
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".py") continue;
    const std::string path = it->path().string();
    if (path.find("site-packages") != std::string::npos || path.find("dist-packages") != std::string::npos) continue;
    if (auto text = moat::read_file(it->path(), std::size_t{8} << 20)) files.emplace_back(path, std::move(*text));
  }
  std::ranges::sort(files);
  return files;
}

// Parse + run every rule over the whole standard library, single-threaded.
void BM_RulesOverStdlib(benchmark::State& state) {
  const auto set = all_rules();
  const auto files = corpus();
  std::size_t bytes = 0, findings = 0;
  for (auto _ : state) {
    for (const auto& [path, text] : files) {
      moat::pattern::FileContext file(path, text);
      findings += moat::pattern::run_rules(set.rules, file, {.honor_nosemgrep = false}).size();
      bytes += text.size();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["rules"] = static_cast<double>(set.rules.size());
  state.counters["rule_x_file_per_s"] =
      benchmark::Counter(static_cast<double>(files.size() * set.rules.size()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["findings"] = static_cast<double>(findings) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RulesOverStdlib)->Unit(benchmark::kMillisecond)->Iterations(1);

// Matching only (files parsed beforehand), to separate the engine from the parser.
void BM_MatchOnly(benchmark::State& state) {
  const auto set = all_rules();
  const auto files = corpus();
  std::vector<std::unique_ptr<moat::pattern::FileContext>> parsed;
  std::size_t bytes = 0;
  for (const auto& [path, text] : files) {
    parsed.push_back(std::make_unique<moat::pattern::FileContext>(path, text));
    bytes += text.size();
  }
  for (auto _ : state)
    for (const auto& file : parsed) benchmark::DoNotOptimize(moat::pattern::run_rules(set.rules, *file));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["rule_x_file_per_s"] = benchmark::Counter(
      static_cast<double>(parsed.size() * set.rules.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MatchOnly)->Unit(benchmark::kMillisecond)->Iterations(1);

// Loading (parsing and compiling) every rule.
void BM_LoadRules(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(all_rules());
}
BENCHMARK(BM_LoadRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
