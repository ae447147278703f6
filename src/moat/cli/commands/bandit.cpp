// `moat bandit ARGS...`: Bandit 1.9.4's command line, options and outputs, running moat's checks in
// Bandit compatibility mode, so `bandit` can be replaced by `moat bandit` in CI.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include "moat/cli/command.hpp"
#include "moat/lint/config.hpp"
#include "moat/lint/discovery.hpp"
#include "moat/lint/linter.hpp"
#include "moat/report/render.hpp"
#include "moat/util/file.hpp"
#include "moat/util/keep_until_exit.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

struct BanditArguments {
  std::vector<std::string> targets;
  bool recursive = false;
  std::string aggregate = "file";
  int context_lines = 3;
  std::string configfile;
  std::string profile;
  std::string tests;
  std::string skips;
  int level = 0;
  std::string severity_level;
  int confidence = 0;
  std::string confidence_level;
  std::string format;
  std::string msg_template;
  std::string output;
  bool verbose = false;
  bool quiet = false;
  bool debug = false;
  bool ignore_nosec = false;
  std::string exclude;
  std::string baseline;
  std::string ini;
  bool exit_zero = false;
  bool version = false;
  unsigned jobs = 0;
};

constexpr std::string_view kDefaultExcludes = ".svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.eggs,*.egg";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

/// Rank of Bandit's levels: UNDEFINED < LOW < MEDIUM < HIGH.
int rank(Severity severity) { return severity == Severity::low ? 1 : severity == Severity::medium ? 2 : 3; }
int rank(Confidence confidence) {
  return confidence == Confidence::low ? 1 : confidence == Confidence::medium ? 2 : 3;
}

std::optional<int> level_threshold(int count, const std::string& named) {
  if (!named.empty()) {
    if (named == "all") return 0;
    if (named == "low") return 1;
    if (named == "medium") return 2;
    if (named == "high") return 3;
    return std::nullopt;
  }
  if (count > 3) return std::nullopt;
  return count;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string capitalized(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string detail_string(const Finding& finding, const char* key) {
  const auto found = finding.details.find(key);
  return found != finding.details.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string line_range_repr(const Finding& finding) {
  std::string text = "[";
  if (const auto range = finding.details.find("line_range"); range != finding.details.end()) {
    bool first = true;
    for (const auto& line : *range) {
      if (!first) text += ", ";
      text += std::to_string(line.get<int>());
      first = false;
    }
  }
  return text + "]";
}

std::string cwe_text(const Finding& finding) {
  if (!finding.cwe) return "{}";
  const std::string id = std::to_string(*finding.cwe);
  return "CWE-" + id + " (https://cwe.mitre.org/data/definitions/" + id + ".html)";
}

std::string render_text(const Report& report, const std::vector<Finding>& shown) {
  std::string out = "Run started:" + report::utc_timestamp() + "\n\nTest results:\n";
  if (shown.empty()) out += "\tNo issues identified.\n";
  for (const Finding& finding : shown) {
    out += ">> Issue: [" + finding.rule_id + ":" + detail_string(finding, "test_name") + "] " + finding.message + "\n";
    out += "   Severity: " + capitalized(to_string(finding.severity)) +
           "   Confidence: " + capitalized(to_string(finding.confidence)) + "\n";
    out += "   CWE: " + cwe_text(finding) + "\n";
    out += "   More Info: " + detail_string(finding, "more_info") + "\n";
    out += "   Location: " + finding.location.path + ":" + std::to_string(finding.location.line) + ":" +
           std::to_string(finding.location.column) + "\n";
    std::string code = detail_string(finding, "code");
    for (std::size_t space = code.find(' '); space != std::string::npos;) {
      // Bandit's text report separates line numbers from code with a tab.
      code[space] = '\t';
      const auto newline = code.find('\n', space);
      space = newline == std::string::npos ? std::string::npos : code.find(' ', newline);
    }
    out += code + "\n" + std::string(50, '-') + "\n";
  }
  const auto& totals = report.stats["bandit_metrics"]["_totals"];
  out += "\nCode scanned:\n";
  out += "\tTotal lines of code: " + std::to_string(totals["loc"].get<int>()) + "\n";
  out += "\tTotal lines skipped (#nosec): " + std::to_string(totals["nosec"].get<int>()) + "\n";
  out += "\tTotal potential issues skipped due to specifically being disabled (e.g., #nosec BXXX): " +
         std::to_string(totals["skipped_tests"].get<int>()) + "\n";
  out += "\nRun metrics:\n";
  for (const char* criteria : {"SEVERITY", "CONFIDENCE"}) {
    out += std::string("\tTotal issues (by ") + (criteria[0] == 'S' ? "severity" : "confidence") + "):\n";
    for (const char* rank_name : {"UNDEFINED", "LOW", "MEDIUM", "HIGH"}) {
      std::string shown_rank(rank_name);
      for (std::size_t i = 1; i < shown_rank.size(); ++i) shown_rank[i] = static_cast<char>(shown_rank[i] - 'A' + 'a');
      out += "\t\t" + shown_rank + ": " + std::to_string(totals[std::string(criteria) + "." + rank_name].get<int>()) + "\n";
    }
  }
  out += "Files skipped (" + std::to_string(report.errors.size()) + "):\n";
  for (const ScanError& error : report.errors) out += "\t" + error.path + " (" + error.message + ")\n";
  return out;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string render_csv(const std::vector<Finding>& shown) {
  std::string out =
      "filename,test_name,test_id,issue_severity,issue_confidence,issue_cwe,issue_text,line_number,col_offset,"
      "end_col_offset,line_range,more_info\r\n";
  for (const Finding& finding : shown) {
    const std::string cwe =
        finding.cwe ? "https://cwe.mitre.org/data/definitions/" + std::to_string(*finding.cwe) + ".html" : "";
    const std::vector<std::string> fields{finding.location.path,
                                          detail_string(finding, "test_name"),
                                          finding.rule_id,
                                          upper(to_string(finding.severity)),
                                          upper(to_string(finding.confidence)),
                                          cwe,
                                          finding.message,
                                          std::to_string(finding.location.line),
                                          std::to_string(finding.details.value("col_offset", 0)),
                                          std::to_string(finding.details.value("end_col_offset", 0)),
                                          line_range_repr(finding),
                                          detail_string(finding, "more_info")};
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : ",") + csv_field(fields[i]);
    out += "\r\n";
  }
  return out;
}

std::optional<std::string> render_custom(const std::vector<Finding>& shown, const std::string& templ) {
  const std::string pattern = templ.empty() ? "{abspath}:{line}: {test_id}[bandit]: {severity}: {msg}" : templ;
  if (pattern.find('{') == std::string::npos) return std::nullopt;
  std::string out;
  for (const Finding& finding : shown) {
    const std::map<std::string, std::string> tags{
        {"abspath", fs::absolute(finding.location.path).lexically_normal().string()},
        {"relpath", fs::path(finding.location.path).lexically_normal().string()},
        {"line", std::to_string(finding.location.line)},
        {"col", std::to_string(finding.details.value("col_offset", 0))},
        {"end_col", std::to_string(finding.details.value("end_col_offset", 0))},
        {"test_id", finding.rule_id},
        {"severity", upper(to_string(finding.severity))},
        {"msg", finding.message},
        {"confidence", upper(to_string(finding.confidence))},
        {"range", line_range_repr(finding)},
        {"cwe", cwe_text(finding)}};
    std::string line;
    for (std::size_t at = 0; at < pattern.size();) {
      const auto open = pattern.find('{', at);
      if (open == std::string::npos) {
        line += pattern.substr(at);
        break;
      }
      line += pattern.substr(at, open - at);
      const auto close = pattern.find('}', open);
      if (close == std::string::npos) return std::nullopt;
      std::string tag = pattern.substr(open + 1, close - open - 1);
      tag = tag.substr(0, tag.find(':'));
      const auto found = tags.find(tag);
      line += found != tags.end() ? found->second : tag;
      at = close + 1;
    }
    out += line + "\n";
  }
  return out;
}

/// Bandit's baseline equality: text, severity, CWE, confidence, filename, test name and ID.
std::string baseline_key(const nlohmann::json& result) {
  return result.value("issue_text", "") + '\0' + result.value("issue_severity", "") + '\0' +
         result["issue_cwe"].dump() + '\0' + result.value("issue_confidence", "") + '\0' +
         result.value("filename", "") + '\0' + result.value("test_name", "") + '\0' + result.value("test_id", "");
}

std::string usage_error_line(const std::string& message) { return "[main]\tERROR\t" + message + "\n"; }

int fail_usage(const std::string& message) {
  std::fputs(usage_error_line(message).c_str(), stderr);
  return kExitFailure;
}

void print_to_stderr(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) std::fputs(line.c_str(), stderr);
}

/// A `.bandit` file's values for the options left at their defaults on the command line.
void apply_ini(BanditArguments& arguments, const std::string& ini_file) {
  auto values = lint::load_bandit_ini(ini_file);
  if (!values) return;  // Bandit warns and goes on
  const auto set = [&](const char* key, std::string& into) {
    if (const auto value = values->find(key); value != values->end() && into.empty()) into = value->second;
  };
  const auto flag = [&](const char* key, bool& into) {
    if (const auto value = values->find(key); value != values->end() && !value->second.empty()) into = true;
  };
  if (const auto targets = values->find("targets"); targets != values->end() && arguments.targets.empty())
    arguments.targets = split_list(targets->second);
  set("exclude", arguments.exclude);
  set("skips", arguments.skips);
  set("tests", arguments.tests);
  set("format", arguments.format);
  set("msg-template", arguments.msg_template);
  set("configfile", arguments.configfile);
  set("baseline", arguments.baseline);
  set("profile", arguments.profile);
  if (const auto aggregate = values->find("aggregate"); aggregate != values->end() && arguments.aggregate == "file")
    arguments.aggregate = aggregate->second;
  if (const auto number = values->find("number"); number != values->end() && arguments.context_lines == 3)
    arguments.context_lines = std::atoi(number->second.c_str());
  flag("recursive", arguments.recursive);
  flag("verbose", arguments.verbose);
  flag("debug", arguments.debug);
  flag("quiet", arguments.quiet);
  flag("ignore-nosec", arguments.ignore_nosec);
}

/// How a run goes, settled from its arguments before any file is read.
struct BanditPlan {
  std::string format;
  int severity_threshold = 0;
  int confidence_threshold = 0;
  lint::LintOptions options;
  lint::BanditDiscovery discovery;
};

/// A plan, or the error that stops the run; either way with the stderr lines that go with it,
/// printed only once the arguments are known to be final (a `.bandit` may still change them).
struct PlannedRun {
  std::vector<std::string> messages;  // whole lines, in order
  std::optional<BanditPlan> plan;     // empty: the run stops, its last message says why
  int exit_code = kExitFailure;       // when the run stops
};

PlannedRun plan_run(const BanditArguments& arguments) {
  PlannedRun planned;
  const auto stop = [&](const std::string& message) {
    planned.messages.push_back(usage_error_line(message));
    return std::move(planned);
  };
  if (arguments.targets.empty()) return stop("No targets found in CLI or ini files, exiting.");
  BanditPlan plan;
  plan.format = arguments.format;
  if (plan.format.empty()) plan.format = ::isatty(1) != 0 && std::getenv("NO_COLOR") == nullptr ? "screen" : "txt";
  static const std::vector<std::string> kFormats{"csv", "custom", "html", "json", "sarif", "screen", "txt", "xml", "yaml"};
  if (std::ranges::find(kFormats, plan.format) == kFormats.end()) return stop("invalid format '" + plan.format + "'");
  if (plan.format == "html" || plan.format == "xml" || plan.format == "yaml")
    return stop("moat bandit does not write the " + plan.format + " format (use json, txt, csv, custom or sarif)");
  if (!arguments.msg_template.empty() && plan.format != "custom") return stop("--msg-template can only be used with --format=custom");
  if (!arguments.baseline.empty() && plan.format != "json" && plan.format != "txt" && plan.format != "screen" && plan.format != "custom")
    return stop("Baseline must be used with one of the following formats: json, txt, screen, html, custom");
  const auto severity_threshold = level_threshold(arguments.level, arguments.severity_level);
  const auto confidence_threshold = level_threshold(arguments.confidence, arguments.confidence_level);
  if (!severity_threshold || !confidence_threshold) {
    planned.messages.emplace_back("moat bandit: at most three -l / -i flags\n");
    planned.exit_code = 1;  // Bandit crashes with an IndexError here
    return planned;
  }
  plan.severity_threshold = *severity_threshold;
  plan.confidence_threshold = *confidence_threshold;

  lint::ScanConfig config;
  if (!arguments.configfile.empty()) {
    auto loaded = arguments.configfile.ends_with(".toml") ? lint::load_toml(arguments.configfile, "tool.bandit")
                                                          : lint::load_bandit_yaml(arguments.configfile);
    if (!loaded) return stop(loaded.error().to_string());
    config = std::move(*loaded);
  }
  if (!arguments.profile.empty()) return stop("Unable to find profile (" + arguments.profile + ") in config file: " + arguments.configfile);

  // tests/skips: the command line's lists merged with the config's; unknown IDs are ignored.
  std::vector<std::string> tests = config.tests;
  std::vector<std::string> skips = config.skips;
  for (const std::string& id : split_list(arguments.tests)) tests.push_back(id);
  for (const std::string& id : split_list(arguments.skips)) skips.push_back(id);
  for (const std::string& id : tests)
    if (std::ranges::find(skips, id) != skips.end()) return stop("Test in both tests and skips: " + id);
  const auto known = [&](const std::vector<std::string>& ids) {
    std::vector<std::string> kept;
    for (const std::string& id : ids) {
      if (id == "B001" || lint::find_check_by_id(id)) {
        kept.push_back(id);
      } else {
        planned.messages.push_back("[config]\tWARNING\tUnknown test found in profile: " + id + "\n");
      }
    }
    return kept;
  };
  tests = known(tests);
  skips = known(skips);
  if (!split_list(arguments.tests).empty() && tests.empty()) return stop("No tests would be run, please check the profile.");
  lint::CheckSet enabled;
  if (tests.empty()) {
    enabled.set();
  } else {
    // B001 selects every blacklist unless individual blacklist IDs are listed too.
    const bool individual_blacklists = std::ranges::any_of(tests, [](const std::string& id) {
      const auto check = lint::find_check_by_id(id);
      return check && lint::info(*check).is_blacklist();
    });
    for (const std::string& id : tests) {
      if (id == "B001") {
        if (!individual_blacklists) enabled |= lint::checks_matching("B001");
      } else {
        enabled.set(lint::index(*lint::find_check_by_id(id)));
      }
    }
  }
  for (const std::string& id : skips) enabled &= ~(id == "B001" ? lint::checks_matching("B001") : lint::CheckSet().set(lint::index(*lint::find_check_by_id(id))));
  if (enabled.none()) return stop("No tests would be run, please check the profile.");

  plan.options.bandit_compat = true;
  plan.options.ignore_nosec = arguments.ignore_nosec;
  plan.options.enabled = enabled;
  plan.options.plugins = config.plugins;
  plan.options.context_lines = arguments.context_lines;

  plan.discovery.targets = arguments.targets;
  plan.discovery.recursive = arguments.recursive;
  if (!config.include.empty()) {
    plan.discovery.include_globs = config.include;
  } else if (config.any_file) {
    plan.discovery.include_globs = {"*.py"};
  }
  plan.discovery.exclude_globs = config.exclude;
  const auto excludes = lint::bandit_exclude_globs(arguments.exclude.empty() ? std::string(kDefaultExcludes) : arguments.exclude);
  plan.discovery.exclude_globs.insert(plan.discovery.exclude_globs.end(), excludes.begin(), excludes.end());
  planned.plan = std::move(plan);
  return planned;
}

/// What a planned scan found.
struct BanditScan {
  std::vector<std::string> messages;  // discovery's warnings, as stderr lines
  std::vector<lint::FileResult> results;
  Report report;
};

BanditScan scan(const BanditPlan& plan, unsigned jobs) {
  BanditScan scanned;
  const lint::Discovered discovered = lint::discover_bandit_files(plan.discovery, jobs);
  for (const std::string& warning : discovered.warnings) scanned.messages.push_back("[main]\tWARNING\t" + warning + "\n");
  scanned.results = lint::lint_files(discovered.files, plan.options, jobs);
  scanned.report = lint::make_report(scanned.results, jobs);
  // Bandit reports unreadable files with the OS error text.
  for (ScanError& error : scanned.report.errors)
    if (error.message.find("syntax error") == std::string::npos && error.message.find("No such file") != std::string::npos)
      error.message = "No such file or directory";
  return scanned;
}

/// Filters, renders and writes what the scan found as the plan says; the run's exit code.
int write_report(const BanditArguments& arguments, const BanditPlan& plan, BanditScan& scanned) {
  Report& report = scanned.report;
  std::vector<Finding>& shown = report.findings;
  std::erase_if(shown, [&](const Finding& finding) {
    return rank(finding.severity) < plan.severity_threshold || rank(finding.confidence) < plan.confidence_threshold;
  });
  if (!arguments.baseline.empty()) {
    auto text = read_file(arguments.baseline, std::size_t{256} << 20);
    if (!text) return fail_usage("Could not open baseline report: " + arguments.baseline);
    const auto document = nlohmann::json::parse(*text, nullptr, false);
    if (document.is_discarded() || !document.contains("results")) return fail_usage("Invalid baseline file: " + arguments.baseline);
    std::set<std::string> known_keys;
    for (const auto& result : document["results"]) known_keys.insert(baseline_key(result));
    std::erase_if(shown, [&](const Finding& finding) { return known_keys.contains(baseline_key(report::bandit_result(finding))); });
  }
  if (arguments.aggregate == "vuln")
    std::ranges::stable_sort(shown, [](const Finding& a, const Finding& b) {
      return detail_string(a, "test_name") < detail_string(b, "test_name");
    });

  std::string rendered;
  if (plan.format == "json") {
    rendered = report::render_bandit_json(report, {});
  } else if (plan.format == "sarif") {
    fill_fingerprints(report.findings);
    report.stats.erase("bandit_metrics");
    rendered = report::render_sarif(report, {});
  } else if (plan.format == "csv") {
    rendered = render_csv(shown);
  } else if (plan.format == "custom") {
    auto custom = render_custom(shown, arguments.msg_template);
    if (!custom) return fail_usage("invalid --msg-template");
    rendered = *custom;
  } else if (!arguments.quiet || !shown.empty()) {
    rendered = render_text(report, shown);
  }
  if (arguments.output.empty()) {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  } else if (auto written = write_file_atomically(arguments.output, rendered, Durability::regenerable); !written) {
    std::fprintf(stderr, "moat bandit: %s\n", written.error().to_string().c_str());
    return kExitFailure;
  }
  const int exit_code = !shown.empty() && !arguments.exit_zero ? kExitFindings : kExitClean;
  keep_until_exit(std::move(scanned.report));
  keep_until_exit(std::move(scanned.results));
  return exit_code;
}

/// The run with final arguments: the plan's messages, its scan (`scanned` when it already ran on
/// these arguments), the scan's messages, the report.
int run_as_planned(const BanditArguments& arguments, const PlannedRun& planned, std::optional<BanditScan> scanned) {
  print_to_stderr(planned.messages);
  if (!planned.plan) return planned.exit_code;
  if (!scanned) scanned = scan(*planned.plan, arguments.jobs);
  print_to_stderr(scanned->messages);
  return write_report(arguments, *planned.plan, *scanned);
}

/// The run when `.bandit` files were found or `--ini` names one: its values are applied first.
int run_with_ini(BanditArguments& arguments, const std::vector<std::string>& ini_files) {
  if (ini_files.size() > 1) return fail_usage("Multiple .bandit files found - scan separately or choose one with --ini");
  apply_ini(arguments, ini_files.front());
  return run_as_planned(arguments, plan_run(arguments), std::nullopt);
}

int run_bandit(BanditArguments& arguments) {
  if (arguments.version) {
    std::printf("moat bandit %s (Bandit 1.9.4 compatible)\n", MOAT_VERSION);
    return kExitClean;
  }
  if (!arguments.ini.empty()) return run_with_ini(arguments, {arguments.ini});
  // Bandit first looks for a `.bandit` anywhere under the targets, walking each whole. Almost no
  // project has one, so the run the command line asks for goes ahead meanwhile, printing nothing,
  // and is thrown away if the search finds one.
  auto search = std::async(std::launch::async, [&arguments] { return lint::find_files_named(arguments.targets, ".bandit", arguments.jobs); });
  PlannedRun planned = plan_run(arguments);
  std::optional<BanditScan> scanned;
  if (planned.plan) scanned = scan(*planned.plan, arguments.jobs);
  if (const std::vector<std::string> ini_files = search.get(); !ini_files.empty()) {
    scanned.reset();
    return run_with_ini(arguments, ini_files);
  }
  return run_as_planned(arguments, planned, std::move(scanned));
}

}  // namespace

void configure_bandit_command(CLI::App& command, CommandRunner& run) {
  auto a = std::make_shared<BanditArguments>();
  command.add_option("targets", a->targets, "Source files or directories to scan");
  command.add_flag("-r,--recursive", a->recursive, "Find and process files in subdirectories");
  command.add_option("-a,--aggregate", a->aggregate, "Aggregate output by vulnerability or by filename")
      ->check(CLI::IsMember({"file", "vuln"}));
  command.add_option("-n,--number", a->context_lines, "Maximum number of code lines to output for each issue");
  command.add_option("-c,--configfile", a->configfile, "Optional config file to use for selecting plugins");
  command.add_option("-p,--profile", a->profile, "Profile to use (defaults to executing all tests)");
  command.add_option("-t,--tests", a->tests, "Comma-separated list of test IDs to run");
  command.add_option("-s,--skip", a->skips, "Comma-separated list of test IDs to skip");
  auto* level = command.add_flag("-l,--level", a->level, "Report only issues of a given severity level or higher");
  auto* severity = command.add_option("--severity-level", a->severity_level, "all, low, medium or high")
                       ->check(CLI::IsMember({"all", "low", "medium", "high"}));
  level->excludes(severity);
  auto* confidence = command.add_flag("-i,--confidence", a->confidence, "Report only issues of a given confidence or higher");
  auto* confidence_level = command.add_option("--confidence-level", a->confidence_level, "all, low, medium or high")
                               ->check(CLI::IsMember({"all", "low", "medium", "high"}));
  confidence->excludes(confidence_level);
  command.add_option("-f,--format", a->format, "Output format: csv, custom, json, sarif, screen, txt");
  command.add_option("--msg-template", a->msg_template, "Custom output format (with -f custom)");
  command.add_option("-o,--output", a->output, "Write the report to FILE");
  auto* verbose = command.add_flag("-v,--verbose", a->verbose, "Output extra information");
  auto* quiet = command.add_flag("-q,--quiet,--silent", a->quiet, "Only show output in the case of an error");
  verbose->excludes(quiet);
  command.add_flag("-d,--debug", a->debug, "Turn on debug mode");
  command.add_flag("--ignore-nosec", a->ignore_nosec, "Do not skip lines with # nosec comments");
  command.add_option("-x,--exclude", a->exclude, "Comma-separated list of paths (glob patterns) to exclude");
  command.add_option("-b,--baseline", a->baseline, "Path of a baseline report to compare against (json)");
  command.add_option("--ini", a->ini, "Path to a .bandit file with command line arguments");
  command.add_flag("--exit-zero", a->exit_zero, "Exit with 0, even with results found");
  command.add_flag("--version", a->version, "Show the version");
  command.add_option("-j,--jobs", a->jobs, "moat extension: worker threads (default: all cores)");
  run = [a] { return run_bandit(*a); };
}

}  // namespace moat::cli
