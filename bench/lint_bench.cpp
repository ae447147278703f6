// Code-check throughput: the CPython standard library (when present) and a pathological file;
// the directory walks behind `moat bandit`.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "moat/lint/discovery.hpp"
#include "moat/lint/linter.hpp"

namespace {

std::string stdlib_dir() {
  if (const char* dir = std::getenv("MOAT_BENCH_STDLIB")) return dir;
  return "/root/.pyenv/versions/3.11.7/lib/python3.11";
}

/// False (the benchmark skipped) when there is no stdlib to measure.
bool have_stdlib(benchmark::State& state, const std::string& root) {
  if (std::filesystem::is_directory(root)) return true;
  state.SkipWithError("no CPython stdlib found (set MOAT_BENCH_STDLIB)");
  return false;
}

void lint_stdlib(benchmark::State& state, bool compat) {
  const std::string root = stdlib_dir();
  if (!have_stdlib(state, root)) return;
  moat::lint::BanditDiscovery request;
  request.targets = {root};
  request.recursive = true;
  request.exclude_globs = moat::lint::bandit_exclude_globs(root + "/site-packages,.svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.eggs,*.egg");
  const auto files = moat::lint::discover_bandit_files(request).files;
  moat::lint::LintOptions options;
  options.bandit_compat = compat;
  std::size_t issues = 0;
  for (auto _ : state) {
    const auto results = moat::lint::lint_files(files, options, static_cast<unsigned>(state.range(0)));
    issues = 0;
    for (const auto& result : results) issues += result.issues.size();
    benchmark::DoNotOptimize(issues);
  }
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["issues"] = static_cast<double>(issues);
}

void BM_StdlibCompat(benchmark::State& state) { lint_stdlib(state, true); }
void BM_StdlibDefault(benchmark::State& state) { lint_stdlib(state, false); }
BENCHMARK(BM_StdlibCompat)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_StdlibDefault)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

/// `moat bandit`'s search for `.bandit` over the whole stdlib, site-packages included (8,252
/// directories here), against the general walk that lists every entry as a string.
void BM_DotBanditSearch(benchmark::State& state) {
  const std::string root = stdlib_dir();
  if (!have_stdlib(state, root)) return;
  for (auto _ : state) benchmark::DoNotOptimize(moat::lint::find_files_named({root}, ".bandit", static_cast<unsigned>(state.range(0))));
}
BENCHMARK(BM_DotBanditSearch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DirectoryWalk(benchmark::State& state) {
  const std::string root = stdlib_dir();
  if (!have_stdlib(state, root)) return;
  for (auto _ : state)
    moat::lint::walk_directories(root, static_cast<unsigned>(state.range(0)),
                                 [](const std::string&, moat::lint::DirectoryEntries& entries) { benchmark::DoNotOptimize(entries); });
}
BENCHMARK(BM_DirectoryWalk)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// A 7,000-element set of string literals, like Bandit's examples/long_set.py (quadratic there).
void BM_LongSet(benchmark::State& state) {
  std::string source = "x = {\n";
  for (int i = 0; i < state.range(0); ++i) source += "    'item" + std::to_string(i) + "',\n";
  source += "}\n";
  moat::lint::LintOptions options;
  options.bandit_compat = true;
  for (auto _ : state) benchmark::DoNotOptimize(moat::lint::lint_source("long_set.py", source, options));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(source.size()));
}
BENCHMARK(BM_LongSet)->Arg(7000)->Arg(70000)->Unit(benchmark::kMillisecond);

/// A long string concatenation: B608's chain analysis must stay linear.
void BM_LongConcatenation(benchmark::State& state) {
  std::string source = "q = 'a'";
  for (int i = 0; i < state.range(0); ++i) source += " + 'b'";
  source += "\n";
  moat::lint::LintOptions options;
  options.bandit_compat = true;
  for (auto _ : state) benchmark::DoNotOptimize(moat::lint::lint_source("chain.py", source, options));
}
BENCHMARK(BM_LongConcatenation)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
