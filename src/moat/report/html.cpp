// One self-contained HTML report: an overview (charts as inline SVG, the most affected files,
// dependency vulnerabilities, bundled native libraries), a filterable findings table and the
// documentation of the rules that fired. Nothing is loaded from anywhere: the style sheet and the
// filter script are inline and pinned by hash in a Content-Security-Policy, and every string that
// comes from scanned input is escaped.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "moat/report/render.hpp"
#include "moat/report/rule_docs.hpp"
#include "moat/util/encoding.hpp"

namespace moat::report {

namespace {

constexpr std::array kSeverities{Severity::critical, Severity::high, Severity::medium, Severity::low};
constexpr std::array kCategories{Category::code,   Category::rules, Category::dependency, Category::artifact,
                                 Category::native, Category::trust, Category::workflow,   Category::secret};

std::string_view severity_colour(Severity severity) {
  switch (severity) {
    case Severity::critical: return "#7e1d5b";
    case Severity::high: return "#d1352b";
    case Severity::medium: return "#e8912d";
    case Severity::low: return "#3f7fd0";
  }
  return "#888888";
}

std::string_view category_colour(Category category) {
  switch (category) {
    case Category::code: return "#24539c";
    case Category::rules: return "#6b4fbb";
    case Category::dependency: return "#1f8a70";
    case Category::artifact: return "#b5651d";
    case Category::native: return "#5f6b7a";
    case Category::trust: return "#2f8fb0";
    case Category::workflow: return "#8a6d1f";
    case Category::secret: return "#b03a6f";
  }
  return "#888888";
}

std::string_view category_label(Category category) {
  switch (category) {
    case Category::code: return "Code";
    case Category::rules: return "Rules";
    case Category::dependency: return "Dependencies";
    case Category::artifact: return "Artifacts";
    case Category::native: return "Native code";
    case Category::trust: return "Signatures and provenance";
    case Category::workflow: return "Workflows";
    case Category::secret: return "Secrets";
  }
  return "Other";
}

constexpr std::string_view kStyle = R"css(
:root{--fg:#1d2430;--muted:#5b6472;--line:#dde2ea;--card:#ffffff;--bg:#f4f6fa;--accent:#24539c}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#17233a;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#b8c4d8;font-size:13px}
main{padding:20px 32px 48px;max-width:1400px;margin:0 auto}
h2{font-size:17px;margin:28px 0 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card .value{font-size:26px;font-weight:650}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.critical .value{color:#7e1d5b}.card.high .value{color:#d1352b}.card.errors .value{color:#a15c00}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px;margin-top:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;overflow-x:auto}
.panel h3{margin:0 0 8px;font-size:14px}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}
svg a:hover rect{opacity:.8}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;background:#f9fafc}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
pre{margin:6px 0 0;padding:8px;background:#f3f5f9;border:1px solid var(--line);border-radius:4px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.sev{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:1px 8px;color:#fff;font-size:12px;font-weight:600}
.sev.critical{background:#7e1d5b}.sev.high{background:#d1352b}.sev.medium{background:#e8912d}.sev.low{background:#3f7fd0}
.muted{color:var(--muted)}
.path{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
a{color:var(--accent)}
form#filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:0 0 10px;padding:10px 12px;background:var(--card);border:1px solid var(--line);border-radius:8px}
form#filters label{font-size:13px;color:var(--muted)}
form#filters select,form#filters input{font:inherit;padding:4px 6px;border:1px solid #c5ccd8;border-radius:4px}
form#filters input{min-width:260px}
.rule{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;margin-bottom:10px}
.rule h3{margin:0 0 6px;font-size:14px}
.rule dt{font-weight:600;margin-top:6px}.rule dd{margin:2px 0 0}
.empty{padding:16px;color:var(--muted);background:var(--card);border:1px dashed var(--line);border-radius:8px}
.errors li{margin-bottom:4px}
ul.advisories{margin:2px 0 0;padding-left:18px;color:var(--muted);font-size:12px}
[hidden]{display:none!important}
)css";

// Reads the filter from the URL fragment or query (`#severity=high&category=code&q=text`), keeps
// the fragment in step with the controls, and hides the rows that do not match.
constexpr std::string_view kScript = R"js(
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var rank = {low: 0, medium: 1, high: 2, critical: 3};
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var shown = document.getElementById('shown');
  function readUrl() {
    var params = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
    form.elements.severity.value = rank.hasOwnProperty(params.get('severity')) ? params.get('severity') : 'low';
    form.elements.category.value = params.get('category') || '';
    if (form.elements.category.selectedIndex < 0) form.elements.category.value = '';
    form.elements.q.value = params.get('q') || '';
  }
  function apply(updateUrl) {
    var minimum = rank[form.elements.severity.value] || 0;
    var category = form.elements.category.value;
    var text = form.elements.q.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var match = rank[row.getAttribute('data-severity')] >= minimum &&
                  (!category || row.getAttribute('data-category') === category) &&
                  (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !match;
      if (match) count++;
    });
    shown.textContent = String(count);
    if (updateUrl) {
      var params = new URLSearchParams();
      if (minimum > 0) params.set('severity', form.elements.severity.value);
      if (category) params.set('category', category);
      if (text) params.set('q', text);
      try { history.replaceState(null, '', '#' + params.toString()); } catch (e) {}
    }
  }
  form.addEventListener('input', function () { apply(true); });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  window.addEventListener('hashchange', function () { readUrl(); apply(false); });
  readUrl();
  apply(false);
})();
)js";

std::string csp_hash(std::string_view text) {
  return "'sha256-" + base64_encode(digest_bytes(sha256(text))) + "'";
}

/// Only web links become links: a scanned file must not be able to plant a javascript: URL.
bool is_web_url(std::string_view url) { return url.starts_with("https://") || url.starts_with("http://"); }

std::string location_text(const Finding& finding) {
  const auto& where = finding.location;
  if (where.line <= 0) return where.path;
  return fmt::format("{}:{}", where.path, where.line);
}

std::string string_detail(const Finding& finding, const char* key) {
  const auto found = finding.details.find(key);
  return found != finding.details.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string joined_strings(const nlohmann::ordered_json& list, std::string_view separator) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += separator;
    out += item.get<std::string>();
  }
  return out;
}

std::string json_list_detail(const Finding& finding, const char* key) {
  const auto found = finding.details.find(key);
  return found == finding.details.end() ? std::string() : joined_strings(*found, ", ");
}

struct Bar {
  std::string label;
  std::size_t value = 0;
  std::string colour;
  std::string link;  // fragment that filters the table
};

/// A horizontal bar chart: one labelled bar per entry, its length proportional to the value.
std::string bar_chart(const std::vector<Bar>& bars, std::string_view title) {
  constexpr int kLabelWidth = 170;
  constexpr int kBarArea = 300;
  constexpr int kRow = 26;
  std::size_t largest = 1;
  for (const auto& bar : bars) largest = std::max(largest, bar.value);
  const int height = static_cast<int>(bars.size()) * kRow + 4;
  std::string svg = fmt::format(R"(<svg role="img" width="{}" height="{}" viewBox="0 0 {} {}"><title>{}</title>)",
                                kLabelWidth + kBarArea + 60, height, kLabelWidth + kBarArea + 60, height, escape_html(title));
  int y = 2;
  for (const auto& bar : bars) {
    const int width = bar.value == 0 ? 0 : std::max(2, static_cast<int>(kBarArea * bar.value / largest));
    svg += fmt::format(R"(<a href="{}"><text x="{}" y="{}" text-anchor="end">{}</text>)"
                       R"(<rect x="{}" y="{}" width="{}" height="18" rx="3" fill="{}"/>)"
                       R"(<text x="{}" y="{}">{}</text></a>)",
                       escape_html(bar.link), kLabelWidth - 8, y + 13, escape_html(bar.label), kLabelWidth, y, width,
                       bar.colour, kLabelWidth + width + 6, y + 13, bar.value);
    y += kRow;
  }
  return svg + "</svg>";
}

/// A thin bar split by severity, for one row of the most-affected-files table.
std::string severity_strip(const std::array<std::size_t, 4>& counts, std::size_t largest_total) {
  constexpr int kWidth = 220;
  std::string svg = fmt::format(R"(<svg width="{}" height="12" aria-hidden="true">)", kWidth);
  double x = 0;
  for (std::size_t index = 0; index < kSeverities.size(); ++index) {
    if (counts[index] == 0) continue;
    const double width = static_cast<double>(kWidth) * static_cast<double>(counts[index]) / static_cast<double>(largest_total);
    svg += fmt::format(R"(<rect x="{:.1f}" y="0" width="{:.1f}" height="12" fill="{}"/>)", x, width,
                       severity_colour(kSeverities[index]));
    x += width;
  }
  return svg + "</svg>";
}

std::size_t severity_index(Severity severity) {
  return static_cast<std::size_t>(std::ranges::find(kSeverities, severity) - kSeverities.begin());
}

class HtmlReport {
 public:
  HtmlReport(const Report& report, const RenderOptions& options) : report_(report), options_(options) {
    for (const auto& finding : report.findings) {
      by_severity_[severity_index(finding.severity)]++;
      by_category_[finding.category]++;
      if (find_rule_doc(finding.rule_id) != nullptr && !rule_anchor_.contains(finding.rule_id))
        rule_anchor_.emplace(finding.rule_id, fmt::format("rule-{}", rule_anchor_.size()));
    }
  }

  std::string render() const {
    const std::string generated = options_.generated_at.empty() ? utc_timestamp() : options_.generated_at;
    std::string body;
    body += fmt::format(R"(<header><h1>moat security report</h1><p>moat {} · generated {} · {} finding{}</p></header>)",
                        escape_html(options_.tool_version), escape_html(generated), report_.findings.size(),
                        report_.findings.size() == 1 ? "" : "s");
    body += "<main>";
    body += overview();
    body += most_affected_files();
    body += dependency_table();
    body += native_table();
    body += errors();
    body += findings_table();
    body += rule_documentation();
    body += "</main>";
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {}; style-src {}; "
        "img-src data:; base-uri 'none'; form-action 'none'\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<title>moat report</title><style>{}</style></head>\n<body>{}<script>{}</script></body></html>\n",
        csp_hash(kScript), csp_hash(kStyle), kStyle, body, kScript);
  }

 private:
  std::string overview() const {
    std::string out = R"(<section id="overview"><div class="cards">)";
    const auto card = [&out](std::string_view css_class, const std::string& value, std::string_view label) {
      out += fmt::format(R"(<div class="card {}"><div class="value">{}</div><div class="label">{}</div></div>)", css_class,
                         escape_html(value), label);
    };
    card("", std::to_string(report_.findings.size()), "findings");
    card("critical", std::to_string(by_severity_[0]), "critical");
    card("high", std::to_string(by_severity_[1]), "high");
    card("", std::to_string(by_severity_[2] + by_severity_[3]), "medium and low");
    if (const auto files = report_.stats.find("files"); files != report_.stats.end() && files->is_number_unsigned())
      card("", std::to_string(files->get<std::size_t>()), "inputs checked");
    card(report_.errors.empty() ? "" : "errors", std::to_string(report_.errors.size()), "inputs not checked");
    if (const auto seconds = report_.stats.find("seconds"); seconds != report_.stats.end() && seconds->is_number())
      card("", fmt::format("{:.2f} s", seconds->get<double>()), "time");
    out += "</div>";
    if (report_.findings.empty()) return out + R"(<p class="empty">No findings.</p></section>)";

    std::vector<Bar> severity_bars;
    for (std::size_t index = 0; index < kSeverities.size(); ++index)
      severity_bars.push_back({std::string(to_string(kSeverities[index])), by_severity_[index],
                               std::string(severity_colour(kSeverities[index])),
                               "#severity=" + std::string(to_string(kSeverities[index]))});
    std::vector<Bar> category_bars;
    for (Category category : kCategories) {
      const auto found = by_category_.find(category);
      if (found == by_category_.end()) continue;
      category_bars.push_back({std::string(category_label(category)), found->second, std::string(category_colour(category)),
                               "#category=" + std::string(to_string(category))});
    }
    out += R"(<div class="charts"><div class="panel"><h3>Findings by severity</h3>)" +
           bar_chart(severity_bars, "Findings by severity") +
           R"(</div><div class="panel"><h3>Findings by category</h3>)" +
           bar_chart(category_bars, "Findings by category") + "</div></div></section>";
    return out;
  }

  std::string most_affected_files() const {
    if (report_.findings.empty()) return {};
    std::map<std::string, std::array<std::size_t, 4>> per_file;
    for (const auto& finding : report_.findings) per_file[finding.location.path][severity_index(finding.severity)]++;
    std::vector<std::pair<std::string, std::array<std::size_t, 4>>> files(per_file.begin(), per_file.end());
    const auto total = [](const std::array<std::size_t, 4>& counts) { return counts[0] + counts[1] + counts[2] + counts[3]; };
    // Worst first: by critical, then high, ... then total.
    std::ranges::stable_sort(files, [&](const auto& left, const auto& right) {
      if (left.second != right.second) return left.second > right.second;
      return total(left.second) > total(right.second);
    });
    constexpr std::size_t kShown = 10;
    if (files.size() > kShown) files.resize(kShown);
    std::size_t largest = 1;
    for (const auto& file : files) largest = std::max(largest, total(file.second));
    std::string out = R"(<section id="files"><h2>Most affected files</h2><table><thead><tr><th>File</th>)"
                      R"(<th>Findings</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th></th></tr></thead><tbody>)";
    for (const auto& [path, counts] : files)
      out += fmt::format(R"(<tr><td class="path">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
                         R"(<td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>)",
                         escape_html(path), total(counts), counts[0], counts[1], counts[2], counts[3],
                         severity_strip(counts, largest));
    return out + "</tbody></table></section>";
  }

  std::string dependency_table() const {
    // One row per declared dependency: every advisory against it, and the version that fixes them all.
    struct Dependency {
      std::vector<std::string> advisories;
      std::set<std::string> fixed_versions;
      std::string fix_version;
      Severity worst = Severity::low;
    };
    std::map<std::tuple<std::string, std::string, std::string>, Dependency> dependencies;  // location, package, version
    for (const auto& finding : report_.findings) {
      if (finding.category != Category::dependency) continue;
      std::string version = string_detail(finding, "version");
      if (version.empty()) version = string_detail(finding, "specifier");
      auto& entry = dependencies[{location_text(finding), string_detail(finding, "package"), version}];
      std::string advisory = string_detail(finding, "advisory");
      if (const std::string aliases = json_list_detail(finding, "aliases"); !aliases.empty()) advisory += " (" + aliases + ")";
      entry.advisories.push_back(std::move(advisory));
      if (const auto fixed = finding.details.find("fixed_versions"); fixed != finding.details.end() && fixed->is_array())
        for (const auto& item : *fixed)
          if (item.is_string()) entry.fixed_versions.insert(item.get<std::string>());
      if (const std::string fix = string_detail(finding, "fix_version"); !fix.empty()) entry.fix_version = fix;
      entry.worst = std::max(entry.worst, finding.severity);
    }
    if (dependencies.empty()) return {};
    std::string out = R"(<section id="dependencies"><h2>Vulnerable dependencies</h2><table><thead><tr><th>Package</th>)"
                      R"(<th>Version</th><th>Worst</th><th>Advisories</th><th>Upgrade to</th><th>Declared in</th></tr></thead><tbody>)";
    for (const auto& [key, dependency] : dependencies) {
      const auto& [where, package, version] = key;
      std::string advisories;
      for (const auto& advisory : dependency.advisories) advisories += "<li>" + escape_html(advisory) + "</li>";
      std::string fix = dependency.fix_version;
      if (fix.empty())
        for (const auto& fixed : dependency.fixed_versions) fix += (fix.empty() ? "" : ", ") + fixed;
      out += fmt::format(R"(<tr><td><strong>{}</strong></td><td><code>{}</code></td><td><span class="sev {}">{}</span></td>)"
                         R"(<td>{} advisor{}<ul class="advisories">{}</ul></td><td>{}</td><td class="path">{}</td></tr>)",
                         escape_html(package), escape_html(version), to_string(dependency.worst), to_string(dependency.worst),
                         dependency.advisories.size(), dependency.advisories.size() == 1 ? "y" : "ies", advisories,
                         fix.empty() ? std::string(R"(<span class="muted">no fixed release</span>)") : "<code>" + escape_html(fix) + "</code>",
                         escape_html(where));
    }
    return out + "</tbody></table></section>";
  }

  std::string native_table() const {
    struct Library {
      std::set<std::string> vulnerabilities;
      std::set<std::string> fixed;
      Severity worst = Severity::low;
    };
    std::map<std::tuple<std::string, std::string, std::string>, Library> libraries;  // path, library, version
    std::map<std::string, std::set<std::string>> other_findings;                      // path -> rule ids
    bool any_native = false;
    for (const auto& finding : report_.findings) {
      if (finding.category != Category::native) continue;
      any_native = true;
      const std::string library = string_detail(finding, "library");
      if (library.empty()) {
        other_findings[finding.location.path].insert(finding.rule_id + " " + finding.title);
        continue;
      }
      auto& entry = libraries[{finding.location.path, library, string_detail(finding, "version")}];
      entry.vulnerabilities.insert(string_detail(finding, "vulnerability"));
      if (const std::string fixed = string_detail(finding, "fixed"); !fixed.empty()) entry.fixed.insert(fixed);
      entry.worst = std::max(entry.worst, finding.severity);
    }
    if (!any_native) return {};
    const auto join = [](const std::set<std::string>& values) {
      std::string out;
      for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
      return out;
    };
    std::string out = R"(<section id="native"><h2>Bundled native libraries</h2>)";
    if (!libraries.empty()) {
      out += R"(<table><thead><tr><th>Binary</th><th>Library</th><th>Version</th><th>Worst</th>)"
             R"(<th>Known vulnerabilities</th><th>Fixed in</th></tr></thead><tbody>)";
      for (const auto& [key, library] : libraries) {
        const auto& [path, name, version] = key;
        out += fmt::format(R"(<tr><td class="path">{}</td><td><strong>{}</strong></td><td><code>{}</code></td>)"
                           R"(<td><span class="sev {}">{}</span></td><td>{} <span class="muted">{}</span></td><td><code>{}</code></td></tr>)",
                           escape_html(path), escape_html(name), escape_html(version), to_string(library.worst),
                           to_string(library.worst), library.vulnerabilities.size(), escape_html(join(library.vulnerabilities)),
                           escape_html(join(library.fixed)));
      }
      out += "</tbody></table>";
    }
    if (!other_findings.empty()) {
      out += R"(<h3>Hardening and structure</h3><table><thead><tr><th>Binary</th><th>Findings</th></tr></thead><tbody>)";
      for (const auto& [path, rules] : other_findings)
        out += fmt::format(R"(<tr><td class="path">{}</td><td>{}</td></tr>)", escape_html(path), escape_html(join(rules)));
      out += "</tbody></table>";
    }
    return out + "</section>";
  }

  std::string errors() const {
    if (report_.errors.empty()) return {};
    std::string out = R"(<section id="errors"><h2>Inputs that could not be checked</h2><ul class="errors">)";
    for (const auto& error : report_.errors)
      out += fmt::format(R"(<li><span class="path">{}</span>: {}</li>)", escape_html(error.path), escape_html(error.message));
    return out + "</ul></section>";
  }

  std::string findings_table() const {
    if (report_.findings.empty()) return {};
    std::string out = R"(<section id="all-findings"><h2>Findings</h2><form id="filters" autocomplete="off">)"
                      R"(<label>Minimum severity <select name="severity"><option value="low">low</option>)"
                      R"(<option value="medium">medium</option><option value="high">high</option>)"
                      R"(<option value="critical">critical</option></select></label><label>Category <select name="category">)"
                      R"(<option value="">all</option>)";
    for (Category category : kCategories)
      if (by_category_.contains(category))
        out += fmt::format(R"(<option value="{}">{}</option>)", to_string(category), category_label(category));
    out += fmt::format(R"(</select></label><label>Search <input type="search" name="q" placeholder="rule, file, text"></label>)"
                       R"(<span class="muted"><span id="shown">{}</span> of {} shown</span></form>)",
                       report_.findings.size(), report_.findings.size());
    out += R"(<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Finding</th><th>Location</th></tr></thead><tbody>)";
    std::vector<const Finding*> ordered;
    for (const auto& finding : report_.findings) ordered.push_back(&finding);
    std::ranges::stable_sort(ordered, [](const Finding* left, const Finding* right) { return left->severity > right->severity; });
    for (const Finding* finding : ordered) out += finding_row(*finding);
    return out + "</tbody></table></section>";
  }

  std::string finding_row(const Finding& finding) const {
    std::string rule = escape_html(finding.rule_id);
    if (const auto anchor = rule_anchor_.find(finding.rule_id); anchor != rule_anchor_.end())
      rule = fmt::format(R"(<a href="#{}">{}</a>)", anchor->second, rule);
    if (const std::string more_info = string_detail(finding, "more_info"); is_web_url(more_info))
      rule += fmt::format(R"(<br><a class="muted" href="{}" rel="noreferrer noopener">more info</a>)", escape_html(more_info));
    std::string code = string_detail(finding, "code");
    if (code.empty()) code = finding.snippet;
    while (code.ends_with('\n')) code.pop_back();
    std::string cwe;
    if (finding.cwe && *finding.cwe > 0)
      cwe = fmt::format(R"( · <a href="https://cwe.mitre.org/data/definitions/{0}.html" rel="noreferrer noopener">CWE-{0}</a>)", *finding.cwe);
    return fmt::format(R"(<tr data-severity="{0}" data-category="{1}"><td><span class="sev {0}">{0}</span><br>)"
                       R"(<span class="muted">{2} confidence</span></td><td><strong>{3}</strong><br><span class="muted">{4}</span></td>)"
                       R"(<td>{5}<br><span class="muted">{6}{7}</span>{8}</td><td class="path">{9}</td></tr>)",
                       to_string(finding.severity), to_string(finding.category), to_string(finding.confidence), rule,
                       escape_html(finding.title), escape_html(finding.message), category_label(finding.category), cwe,
                       code.empty() ? std::string() : "<pre><code>" + escape_html(code) + "</code></pre>",
                       escape_html(location_text(finding)));
  }

  std::string rule_documentation() const {
    if (rule_anchor_.empty()) return {};
    std::vector<std::pair<std::string, std::string>> rules(rule_anchor_.begin(), rule_anchor_.end());
    std::string out = R"(<section id="rules"><h2>Rule documentation</h2><p class="muted">The same text as <code>moat explain RULE</code>.</p>)";
    for (const auto& [id, anchor] : rules) {
      const RuleDoc* doc = find_rule_doc(id);
      out += fmt::format(R"(<article class="rule" id="{}"><h3>{}: {}</h3><dl>)", anchor, escape_html(doc->id), escape_html(doc->title));
      const auto field = [&out](std::string_view heading, std::string_view text, bool preformatted) {
        if (text.empty()) return;
        const std::string escaped = escape_html(text);
        out += fmt::format("<dt>{}</dt><dd>{}</dd>", heading, preformatted ? "<pre>" + escaped + "</pre>" : escaped);
      };
      field("What it does", doc->what, false);
      field("Why is this bad?", doc->why, false);
      field("Example", doc->example, true);
      field("Use instead", doc->fix, false);
      if (!doc->references.empty()) {
        out += "<dt>References</dt><dd><ul>";
        std::string_view references = doc->references;
        while (!references.empty()) {
          const auto end = references.find('\n');
          const std::string_view line = references.substr(0, end);
          references = end == std::string_view::npos ? std::string_view() : references.substr(end + 1);
          if (line.empty()) continue;
          out += is_web_url(line) ? fmt::format(R"(<li><a href="{0}" rel="noreferrer noopener">{0}</a></li>)", escape_html(line))
                                  : "<li>" + escape_html(line) + "</li>";
        }
        out += "</ul></dd>";
      }
      out += "</dl></article>";
    }
    return out + "</section>";
  }

  const Report& report_;
  const RenderOptions& options_;
  std::array<std::size_t, 4> by_severity_{};
  std::map<Category, std::size_t> by_category_;
  std::map<std::string, std::string> rule_anchor_;  // rule id -> element id of its documentation
};

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': out += "&#xFFFD;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string render_html(const Report& report, const RenderOptions& options) { return HtmlReport(report, options).render(); }

}  // namespace moat::report
