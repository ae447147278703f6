// Report rendering: the HTML page and JSON v1 for a large synthetic report (findings spread over
// files, severities and categories, with snippets and Bandit-style details).
#include <benchmark/benchmark.h>

#include <string>

#include "moat/report/render.hpp"

namespace {

moat::Report synthetic_report(int findings) {
  constexpr moat::Severity kSeverities[] = {moat::Severity::low, moat::Severity::medium, moat::Severity::high,
                                            moat::Severity::critical};
  constexpr moat::Category kCategories[] = {moat::Category::code, moat::Category::rules, moat::Category::dependency,
                                            moat::Category::native};
  constexpr const char* kRules[] = {"B602", "MOAT-MAL001", "PYSEC-2018-28", "MOAT-N001"};
  moat::Report report;
  for (int index = 0; index < findings; ++index) {
    moat::Finding finding;
    const int kind = index % 4;
    finding.rule_id = kRules[kind];
    finding.title = "title";
    finding.message = "subprocess call with shell=True identified, security issue <" + std::to_string(index) + ">";
    finding.severity = kSeverities[index % 4];
    finding.category = kCategories[kind];
    finding.location = {"pkg/module_" + std::to_string(index % 500) + ".py", index % 300 + 1, 4, index % 300 + 1, 30};
    finding.snippet = "subprocess.call(command & \"x\", shell=True)";
    if (kind == 0) finding.details = {{"code", "12 import subprocess\n13 subprocess.call(command, shell=True)\n"}};
    if (kind == 2)
      finding.details = {{"package", "requests"}, {"version", "2.19.0"}, {"advisory", "PYSEC-2018-28"},
                         {"aliases", {"CVE-2018-18074"}}, {"fixed_versions", {"2.20.0"}}, {"fix_version", "2.31.0"}};
    if (kind == 3) finding.details = {{"library", "openssl"}, {"version", "3.0.1"}, {"vulnerability", "CVE-2023-0286"}, {"fixed", "3.0.8"}};
    report.findings.push_back(std::move(finding));
  }
  moat::fill_fingerprints(report.findings);
  return report;
}

void BM_RenderHtml(benchmark::State& state) {
  const moat::Report report = synthetic_report(static_cast<int>(state.range(0)));
  moat::report::RenderOptions options;
  options.generated_at = "2026-01-31T12:00:00Z";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = moat::report::render_html(report, options);
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderHtml)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RenderJson(benchmark::State& state) {
  const moat::Report report = synthetic_report(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(moat::report::render_json(report, {}).data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RenderJson)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
