// Dependency audit benchmarks: importing the PyPA snapshot, opening the database, and auditing a
// 700-pin requirements file against it (warm: database open, files in the page cache).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "moat/deps/audit.hpp"
#include "moat/deps/database.hpp"
#include "moat/deps/inputs.hpp"
#include "moat/deps/typosquat.hpp"

namespace {

namespace fs = std::filesystem;

fs::path pypa_zip() { return fs::path(MOAT_SOURCE_DIR).parent_path() / "shared" / "data" / "osv" / "pypa-advisory-db.zip"; }

fs::path bench_dir() {
  static const fs::path directory = [] {
    const fs::path made = fs::temp_directory_path() / ("moat-deps-bench-" + std::to_string(::getpid()));
    fs::create_directories(made);
    return made;
  }();
  return directory;
}

const fs::path& imported_db() {
  static const fs::path path = [] {
    const fs::path db = bench_dir() / "osv.sqlite";
    if (!moat::deps::import_database({pypa_zip()}, db, {{"source", "bench"}})) std::abort();
    return db;
  }();
  return path;
}

/// 700 pinned requirements: every package the snapshot knows (664, each with advisories: the
/// worst case) at an old version, plus 36 packages it does not know.
const fs::path& requirements_700() {
  static const fs::path path = [] {
    std::set<std::string> names;
    moat::deps::ImportStats stats;
    (void)moat::deps::read_osv_source(pypa_zip(), stats, [&](moat::deps::Advisory&& advisory) {
      for (const auto& entry : advisory.affected) names.insert(entry.name);
    });
    const fs::path file = bench_dir() / "requirements.txt";
    std::ofstream out(file);
    std::size_t count = 0;
    for (const auto& name : names) {
      if (count++ == 664) break;
      out << name << "==1.0.0 --hash=sha256:" << std::string(64, '0') << "\n";
    }
    for (; count < 700; ++count) out << "unknown-package-" << count << "==2.1.0\n";
    return file;
  }();
  return path;
}

/// A realistic 700-pin lock: 60 packages with advisories, 640 the database does not name.
const fs::path& requirements_700_realistic() {
  static const fs::path path = [] {
    std::set<std::string> names;
    moat::deps::ImportStats stats;
    (void)moat::deps::read_osv_source(pypa_zip(), stats, [&](moat::deps::Advisory&& advisory) {
      for (const auto& entry : advisory.affected) names.insert(entry.name);
    });
    const fs::path file = bench_dir() / "requirements-realistic.txt";
    std::ofstream out(file);
    std::size_t count = 0;
    for (const auto& name : names) {
      if (count++ == 60) break;
      out << name << "==1.0.0\n";
    }
    for (; count <= 700; ++count) out << "clean-package-" << count << "==2.1.0\n";
    return file;
  }();
  return path;
}

void BM_DbImportPypaSnapshot(benchmark::State& state) {
  if (!fs::exists(pypa_zip())) return state.SkipWithError("../shared is absent");
  const fs::path db = bench_dir() / "import.sqlite";
  for (auto _ : state) {
    auto stats = moat::deps::import_database({pypa_zip()}, db, {{"source", "bench"}});
    if (!stats) return state.SkipWithError(stats.error().to_string().c_str());
    benchmark::DoNotOptimize(stats->advisories);
  }
}
BENCHMARK(BM_DbImportPypaSnapshot)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_DbOpenAndLookup(benchmark::State& state) {
  if (!fs::exists(pypa_zip())) return state.SkipWithError("../shared is absent");
  const fs::path& db = imported_db();
  for (auto _ : state) {
    auto database = moat::deps::Database::open(db);
    if (!database) return state.SkipWithError(database.error().to_string().c_str());
    benchmark::DoNotOptimize(database->advisories_for("requests"));
  }
}
BENCHMARK(BM_DbOpenAndLookup)->Unit(benchmark::kMicrosecond);

void audit_file(benchmark::State& state, const fs::path& file) {
  auto database = moat::deps::Database::open(imported_db());
  moat::deps::AuditOptions options;
  options.environment = moat::deps::MarkerEnvironment::for_python("3.12");
  std::size_t findings = 0;
  for (auto _ : state) {
    auto input = moat::deps::read_input(file, moat::deps::InputFormat::requirements);
    auto result = moat::deps::audit_dependencies(*database, input.dependencies, options);
    findings = result.findings.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["findings"] = static_cast<double>(findings);
}

void BM_Audit700PinsAllVulnerable(benchmark::State& state) {
  if (!fs::exists(pypa_zip())) return state.SkipWithError("../shared is absent");
  audit_file(state, requirements_700());
}
BENCHMARK(BM_Audit700PinsAllVulnerable)->Unit(benchmark::kMillisecond);

void BM_Audit700PinsRealistic(benchmark::State& state) {
  if (!fs::exists(pypa_zip())) return state.SkipWithError("../shared is absent");
  audit_file(state, requirements_700_realistic());
}
BENCHMARK(BM_Audit700PinsRealistic)->Unit(benchmark::kMillisecond);

/// Indexing the embedded ranking of 14,985 names (done once per process, on first use).
void BM_TyposquatIndexBuild(benchmark::State& state) {
  for (auto _ : state) {
    moat::deps::PopularNames names(moat::deps::embedded_top_projects());
    benchmark::DoNotOptimize(names);
  }
}
BENCHMARK(BM_TyposquatIndexBuild)->Unit(benchmark::kMillisecond);

/// 700 dependency names checked: every 20th ranked name (not reported), half of them with two
/// letters swapped (reported) and half with a letter appended (mostly reported).
void BM_Typosquat700Names(benchmark::State& state) {
  const auto& popular = moat::deps::PopularNames::embedded();
  std::vector<std::string> names;
  std::size_t line = 0;
  std::size_t start = 0;
  const std::string_view ranked = moat::deps::embedded_top_projects();
  while (start < ranked.size() && names.size() < 700) {
    const std::size_t end = std::min(ranked.find('\n', start), ranked.size());
    std::string name(ranked.substr(start, end - start));
    start = end + 1;
    if (line++ % 20 != 0) continue;
    if (names.size() % 3 == 1 && name.size() > 3) std::swap(name[1], name[2]);
    if (names.size() % 3 == 2) name += 'x';
    names.push_back(std::move(name));
  }
  std::size_t reported = 0;
  for (auto _ : state) {
    reported = 0;
    for (const auto& name : names) reported += popular.check(name).has_value() ? 1 : 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * names.size()));
  state.counters["names"] = static_cast<double>(names.size());
  state.counters["reported"] = static_cast<double>(reported);
}
BENCHMARK(BM_Typosquat700Names)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
