// Rule-engine throughput: the built-in pack plus GuardDog's rules over the CPython 3.11 standard
// library, the way `moat rules scan` runs them (read, parse once, all rules, files on 2 threads).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
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

// The CPython 3.11 standard library (MOAT_BENCH_STDLIB overrides; else the pyenv 3.11.7 copy the
// published figures use, else the system's), without site-packages.
std::vector<fs::path> corpus() {
  fs::path root = "/root/.pyenv/versions/3.11.7/lib/python3.11";
  if (!fs::is_directory(root)) root = "/usr/lib/python3.11";
  if (const char* override_dir = std::getenv("MOAT_BENCH_STDLIB")) root = override_dir;
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".py") continue;
    const std::string path = it->path().string();
    if (path.find("site-packages") != std::string::npos || path.find("dist-packages") != std::string::npos) continue;
    files.push_back(it->path());
  }
  std::ranges::sort(files);
  return files;
}

// Read + parse + every rule over the whole standard library on `state.range(0)` threads.
// CPU time is the whole process's (all threads); wall time is the "Time" column.
void BM_RulesOverStdlib(benchmark::State& state) {
  const auto set = all_rules();
  const auto files = corpus();
  if (files.empty()) {
    state.SkipWithError("no CPython stdlib found (set MOAT_BENCH_STDLIB)");
    return;
  }
  std::uintmax_t bytes = 0;
  for (const auto& path : files) bytes += fs::file_size(path);
  std::size_t findings = 0;
  for (auto _ : state) {
    const auto results = moat::pattern::scan_files(set.rules, files, {.honor_nosemgrep = false},
                                                   static_cast<unsigned>(state.range(0)));
    for (const auto& result : results) findings += result.findings.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["rules"] = static_cast<double>(set.rules.size());
  state.counters["findings"] = static_cast<double>(findings) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RulesOverStdlib)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// Matching only (files parsed beforehand), one thread, to separate the engine from the parser.
void BM_MatchOnly(benchmark::State& state) {
  const auto set = all_rules();
  std::vector<std::unique_ptr<moat::pattern::FileContext>> parsed;
  std::size_t bytes = 0;
  for (const auto& path : corpus()) {
    auto text = moat::read_file(path, std::size_t{64} << 20);
    if (!text) continue;
    parsed.push_back(std::make_unique<moat::pattern::FileContext>(path.string(), *text));
    bytes += text->size();
  }
  if (parsed.empty()) {
    state.SkipWithError("no CPython stdlib found (set MOAT_BENCH_STDLIB)");
    return;
  }
  for (auto _ : state)
    for (const auto& file : parsed) benchmark::DoNotOptimize(moat::pattern::run_rules(set.rules, *file));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_MatchOnly)->Unit(benchmark::kMillisecond);

// Loading (parsing and compiling) every rule.
void BM_LoadRules(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(all_rules());
}
BENCHMARK(BM_LoadRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
