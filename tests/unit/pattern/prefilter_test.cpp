// The prefilters that let rules skip files: regex literal requirements and trigram sets. A wrong
// "cannot match" would hide real findings, so the unknown cases must stay unconstrained.
#include <gtest/gtest.h>

#include <cctype>

#include "moat/pattern/python_pattern.hpp"
#include "moat/pattern/regex.hpp"
#include "moat/pattern/regex_literals.hpp"
#include "moat/pattern/trigrams.hpp"

namespace moat::pattern {
namespace {

using Strings = std::vector<std::string>;

TEST(RegexLiterals, FindsTheLiteralsEveryMatchNeeds) {
  EXPECT_EQ(required_literals("LD_PRELOAD"), Strings{"ld_preload"});
  EXPECT_EQ(required_literals(R"(__armor_enter__|__armor_exit__)"), (Strings{"__armor_enter__", "__armor_exit__"}));
  EXPECT_EQ(required_literals(R"(((?:https?:\/\/)?[^\n\[\/\?#"']*?(bit\.ly)\b))"), Strings{"bit.ly"});
  EXPECT_EQ(required_literals(R"((?i)https?://(pastebin\.com|paste\.ee))"),
            (Strings{"http://paste.ee", "http://pastebin.com", "https://paste.ee", "https://pastebin.com"}));
  EXPECT_EQ(required_literals(R"(from pyarmor_runtime[_\w]* import __pyarmor__)"), Strings{"from pyarmor_runtime"});
  EXPECT_EQ(required_literals(R"((?i)mmc(.exe)?\s+-Embedding\s+\S+.ms)"), Strings{"-embedding"});
  EXPECT_EQ(required_literals(R"(\x41BC)"), Strings{"abc"});
  EXPECT_EQ(required_literals(R"((?i)odbcconf(.exe)?\s+.*{\s*REGSVR)"), Strings{"odbcconf"});
}

TEST(RegexLiterals, UnknownOrOptionalPartsGiveNoRequirement) {
  EXPECT_EQ(required_literals(R"([A-Za-z0-9+/]{600,})"), std::nullopt);
  EXPECT_EQ(required_literals(R"(a|[bc])"), std::nullopt);
  EXPECT_EQ(required_literals(R"((abc)?)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((abc)*)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((?x) a b c)"), std::nullopt);  // extended syntax is not modelled
  EXPECT_EQ(required_literals(R"(\Qabc\E)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(é)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((?=abc))"), std::nullopt);
  EXPECT_EQ(required_literals(R"((unclosed)"), std::nullopt);
  EXPECT_EQ(required_literals(std::string(1000, '(') + "a" + std::string(1000, ')')), std::nullopt);
}

TEST(RegexLiterals, RepetitionsKeepTheRequirement) {
  EXPECT_EQ(required_literals(R"((abc)+x*)"), Strings{"abc"});
  EXPECT_EQ(required_literals(R"((\\x[0-9a-f]{2}){100,})"), Strings{"\\x"});
}

// The length of the run required_run() finds, and whether `member` is one of its bytes.
std::optional<std::size_t> run_length(std::string_view regex) {
  const auto run = required_run(regex);
  return run ? std::optional(run->length) : std::nullopt;
}
bool in_run(std::string_view regex, unsigned char member) {
  const auto run = required_run(regex);
  return run && ((run->bytes[member / 64] >> (member % 64)) & 1) != 0;
}

TEST(RegexRuns, FindsTheRunEveryMatchNeeds) {
  EXPECT_EQ(run_length(R"(^(.*?);?[\h]{150,};?.{10,}$)"), 150u);
  EXPECT_EQ(run_length(R"(([bru]{0,2}["'])[A-Za-z0-9+/]{600,}={0,2}["'])"), 600u);
  EXPECT_EQ(run_length(R"(^\S.*?;?[ \t]{150,};?\S.{10,}$)"), 150u);
  EXPECT_EQ(run_length(R"((x{20}|y{30}))"), 20u);  // either alternative: the shorter
  EXPECT_EQ(run_length(R"((ab[0-9]{40})+)"), 40u);
  EXPECT_TRUE(in_run(R"([\h]{150,})", ' '));
  EXPECT_TRUE(in_run(R"([\h]{150,})", 0xC2));  // U+00A0 is a horizontal blank too
  EXPECT_FALSE(in_run(R"([\h]{150,})", 'a'));
  EXPECT_TRUE(in_run(R"((?i)[a-f]{64})", 'F'));  // caseless
  EXPECT_TRUE(in_run(R"((?i)k{64})", 0xE2));      // KELVIN SIGN folds to k
  EXPECT_TRUE(in_run(R"([+-/]{9})", ','));          // a range between ASCII characters
  EXPECT_TRUE(in_run(R"([+\-/]{9})", '-'));         // an escaped '-' is no range
  EXPECT_FALSE(in_run(R"([+\-/]{9})", ','));
  EXPECT_TRUE(in_run(R"((x{20}|y{30}))", 'y'));
}

TEST(RegexRuns, OptionalOrUnknownPartsGiveNoRun) {
  for (const char* regex : {R"(a{150})", R"([^a]{150})", R"(.{150})", R"(a{0,150})", R"((?:a{150})?)", R"(x|a{150})",
                            R"((?=a{150}))", R"([[:alpha:]]{150})", R"([\x00-\x7f]{150})", R"(\D{150})", R"((a){1}x)"})
    EXPECT_EQ(run_length(regex), regex == std::string_view(R"(a{150})") ? std::optional<std::size_t>(150) : std::nullopt)
        << regex;
}

TEST(RegexRuns, TextsWithoutTheRunAreSkippedAndOnlyThey) {
  auto blanks = Regex::compile(R"(^(.*?);?[\h]{150,};?.{10,}$)");
  ASSERT_TRUE(blanks.has_value());
  const std::string hidden = "x = 1" + std::string(150, ' ') + "; exec(payload)\n";
  const std::string nbsp_hidden = [] {
    std::string text = "x = 1";
    for (int i = 0; i < 150; ++i) text += "\xC2\xA0";  // U+00A0: one \h character of two bytes
    return text + "; exec(payload)\n";
  }();
  for (const std::string& text : {hidden, nbsp_hidden, "a" + std::string(149, ' ') + "\t" + hidden}) {
    EXPECT_TRUE(blanks->may_match_runs_of(text));
    EXPECT_FALSE(blanks->find_all(text).empty());
  }
  std::string broken;  // runs of 149 blanks only
  for (int i = 0; i < 50; ++i) broken += "x" + std::string(149, i % 2 == 0 ? ' ' : '\t') + "yyyyyyyyyyyy\n";
  EXPECT_FALSE(blanks->may_match_runs_of(broken));
  EXPECT_TRUE(blanks->find_all(broken).empty());
  // Every position of a run of exactly the length, at the start, the end and in between.
  const RequiredRun run{*required_run("[ ]{5}")};
  for (std::size_t at = 0; at <= 12; ++at) {
    std::string text(17, 'x');
    text.replace(at, 5, "     ");
    EXPECT_TRUE(contains_run(text, run)) << at;
    text[at + 2] = 'x';
    EXPECT_FALSE(contains_run(text, run)) << at;
  }
  EXPECT_FALSE(contains_run("    ", run));
  EXPECT_FALSE(contains_run("", run));
}

TEST(Trigrams, AnswersCaseInsensitivelyWithoutFalseNegatives) {
  const TrigramSet set("import subprocess\nURL = 'https://PasteBin.com/raw'\n");
  EXPECT_TRUE(set.may_contain("subprocess"));
  EXPECT_TRUE(set.may_contain("pastebin.com"));
  EXPECT_TRUE(set.may_contain("IMPORT"));
  EXPECT_TRUE(set.may_contain("ab"));  // too short to tell
  EXPECT_FALSE(set.may_contain("base64.b64decode"));
  EXPECT_TRUE(TrigramSet().may_contain("anything"));
}

TEST(Trigrams, RegexPrefilterSkipsOnlyTextsWithoutTheLiterals) {
  auto regex = Regex::compile(R"((?i)https?://(pastebin\.com|paste\.ee)/)");
  ASSERT_TRUE(regex.has_value());
  EXPECT_TRUE(regex->may_match(TrigramSet("x = 'HTTPS://PASTE.EE/abc'")));
  EXPECT_FALSE(regex->may_match(TrigramSet("x = 'https://example.com/'")));
  auto unconstrained = Regex::compile(R"([0-9a-f]{64})");
  ASSERT_TRUE(unconstrained.has_value());
  EXPECT_TRUE(unconstrained->may_match(TrigramSet("nothing here")));
}

TEST(Trigrams, RegexNeedingNonAsciiSkipsAsciiFiles) {
  // MOAT-MAL017's homoglyph identifiers: the match may start with an ASCII letter, but a Cyrillic
  // or Greek one must follow somewhere.
  auto homoglyph = Regex::compile(R"((?<!["'\w])[A-Za-z_]*[A-Za-z][\x{0400}-\x{04FF}\x{0370}-\x{03FF}][\w]*(?=\s*[=(.]))");
  ASSERT_TRUE(homoglyph.has_value());
  EXPECT_FALSE(homoglyph->may_match(TrigramSet("password = 1\n")));
  const std::string cyrillic = "p\xD0\xB0ssword = 1\n";  // U+0430
  EXPECT_TRUE(homoglyph->may_match(TrigramSet(cyrillic)));
  EXPECT_FALSE(homoglyph->find_all(cyrillic).empty());
  // Only the lead bytes of the class's letters count: Latin accents (U+00E9) and typographic
  // punctuation (U+2014) are skipped, every letter of both ranges is not.
  EXPECT_FALSE(homoglyph->may_match(TrigramSet("caf\xC3\xA9 = 1  # \xE2\x80\x94\n")));
  for (const char* letter : {"\xCD\xB0", "\xCF\xBF", "\xD0\x80", "\xD3\xBF"}) {  // U+0370, U+03FF, U+0400, U+04FF
    const std::string code = std::string("pa") + letter + "ss = 1\n";
    EXPECT_TRUE(homoglyph->may_match(TrigramSet(code))) << code;
    EXPECT_FALSE(homoglyph->find_all(code).empty()) << code;
  }
  auto astral = Regex::compile(R"(^[^#"'\n]*[\x{FF21}-\x{FF3A}\x{1D400}-\x{1D6A5}])");  // fullwidth and mathematical letters
  ASSERT_TRUE(astral.has_value());
  EXPECT_FALSE(astral->may_match(TrigramSet("x = '\xC3\xA9\xE2\x80\x94'\n")));
  for (const char* letter : {"\xEF\xBC\xA1", "\xF0\x9D\x90\x80"}) {  // U+FF21, U+1D400
    EXPECT_TRUE(astral->may_match(TrigramSet(std::string("x = ") + letter))) << letter;
    EXPECT_FALSE(astral->find_all(std::string("x = ") + letter).empty()) << letter;
  }
  // Not modelled, so never skipped: caseless matching (KELVIN SIGN folds to k), an optional class,
  // a top-level alternative, a class with an ASCII member.
  for (const char* source : {R"((?i)a[\x{212A}])", R"(a[\x{0400}-\x{04FF}]?b)", R"(a[\x{0400}]|b)", R"(a[\x{0400}b])",
                             R"(a[\x{0400}]*)", R"(a(?:[\x{0400}]|b))"}) {
    auto regex = Regex::compile(source);
    ASSERT_TRUE(regex.has_value()) << source;
    EXPECT_TRUE(regex->may_match(TrigramSet("a b k K"))) << source;
  }
}

TEST(RegexLiterals, HitsAreFoundAtEveryOffset) {
  // The literal scan tests 16 bytes at a time for the literals' first two bytes: a hit must be
  // found wherever it starts relative to those blocks, in either case, and at the text's end.
  const auto naive = [](std::string text, const Strings& literals) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<Span> hits;
    for (std::size_t i = 0; i < text.size(); ++i)
      for (const auto& literal : literals)
        if (text.compare(i, literal.size(), literal) == 0) hits.push_back({i, i + literal.size()});
    return hits;
  };
  std::string many_source;  // more distinct two-byte prefixes than the block test takes
  Strings many;
  for (const char c : std::string_view("0123456789abcdefghijklmnopqrstuvwxyz")) {
    many_source += std::string(many_source.empty() ? "" : "|") + "q" + c;
    many.push_back(std::string("q") + c);
  }
  const std::vector<std::pair<std::string, Strings>> cases = {
      {many_source, many},
      {"LD_PRELOAD", {"ld_preload"}},
      {"(?i)https?://(pastebin\\.com|paste\\.ee)", {"http://paste.ee", "http://pastebin.com", "https://paste.ee", "https://pastebin.com"}},
      {"a|b|c|d|e|f|g|h|i|j", {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}},
      {"x", {"x"}}};
  for (const auto& [source, literals] : cases) {
    auto regex = Regex::compile(source);
    ASSERT_TRUE(regex.has_value()) << source;
    ASSERT_EQ(required_literals(source), literals) << source;
    for (std::size_t at = 0; at < 40; ++at)
      for (const std::string& literal : literals) {
        std::string text(at, '-');
        std::string upper = literal;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        text += (at % 2 == 0 ? literal : upper) + std::string(at % 19, '.');
        const auto hits = regex->literal_hits(text, 1000);
        ASSERT_TRUE(hits.has_value());
        EXPECT_EQ(*hits, naive(text, literals)) << source << " at " << at;
        EXPECT_TRUE(regex->may_occur_in(text)) << source << " at " << at;
        EXPECT_FALSE(regex->may_occur_in(std::string(at + 20, '-'))) << source;
      }
  }
  // KELVIN SIGN (U+212A) may fold to k in caseless matching: it counts as a hit, at any offset.
  auto regex = Regex::compile("(?i)kill");
  ASSERT_TRUE(regex.has_value());
  for (std::size_t at = 0; at < 20; ++at) EXPECT_TRUE(regex->may_occur_in(std::string(at, '-') + "\xE2\x84\xAAill"));
}

TEST(FileIndexes, RegexWindowsAgreeWithTheirText) {
  std::string source = "x = 'LD_PRELOAD'\ny = 1\n";
  // Beyond the bound on recorded hits, windows fall back to scanning their text.
  std::string crowded;
  for (int i = 0; i < 1100; ++i) crowded += "a = 'LD_PRELOAD'\n";
  crowded += "z = 2\n";
  auto regex = Regex::compile("LD_PRELOAD");
  ASSERT_TRUE(regex.has_value());
  for (const std::string& text : {source, crowded}) {
    const FileContext file("t.py", text);
    const std::size_t step = text.size() / 60 + 1;
    for (std::size_t start = 0; start < text.size(); start += step)
      for (std::size_t end = start; end <= text.size(); end += step / 2 + 1) {
        const Span window{start, end};
        EXPECT_EQ(file.regex_may_match_within(*regex, window), !regex->find_all(file.text(window)).empty())
            << start << "-" << end;
      }
  }
}

TEST(FileIndexes, PatternWindowsFindWhatTheWholeFileHasInside) {
  const std::string text = "@decorate(a + b)\ndef f(x=[c for c in d if e]):\n    return g(h, i) if j else k\n";
  const FileContext file("t.py", text);
  auto pattern = CompiledPattern::compile("$X");
  ASSERT_TRUE(pattern.has_value());
  std::vector<RangeMatch> everywhere;
  (*pattern)->find(file, {0, text.size()}, everywhere);
  ASSERT_GT(everywhere.size(), 10u);
  for (std::size_t start = 0; start < text.size(); start += 3)
    for (std::size_t end = start; end <= text.size(); end += 4) {
      std::vector<RangeMatch> inside;
      (*pattern)->find(file, {start, end}, inside);
      std::vector<Span> expected;
      for (const auto& match : everywhere)
        if (match.span.start >= start && match.span.end <= end) expected.push_back(match.span);
      std::vector<Span> found;
      for (const auto& match : inside) found.push_back(match.span);
      EXPECT_EQ(found, expected) << start << "-" << end;  // same matches, same order
    }
}


// The indexes a file builds on first use answer the same whichever is asked first: each query
// below is the first on its own file, then asked again on one file after all the others.
TEST(FileIndexes, IndexesBuiltOnFirstUseAnswerAlikeInAnyOrder) {
  const std::string text =
      "import subprocess as sp\nMODE = 'fast'\n\ndef run(cmd):\n    limit = 5\n    sp.call(cmd, MODE, limit)\n";
  const auto call_of = [](const FileContext& file) -> const python::Call* {
    const auto& calls = file.nodes_of(python::NodeKind::Call);
    return calls.size() == 1 ? static_cast<const python::Call*>(calls[0]) : nullptr;
  };
  // Reached through the module's statements, without asking the file for any index.
  const auto call_in_tree = [](const FileContext& file) -> const python::Call& {
    const auto& body = file.parsed()->module().body;
    const auto* def = static_cast<const python::FunctionDef*>(body[body.size() - 1]);
    const auto* statement = static_cast<const python::ExprStmt*>(def->body[def->body.size() - 1]);
    return *static_cast<const python::Call*>(statement->value);
  };
  const auto name_arg = [](const python::Call& call, std::size_t index) {
    return static_cast<const python::Name*>(call.args[index]);
  };
  const auto expect_answers = [&](const FileContext& file, const python::Call& call) {
    const std::string* resolved = file.resolve_import(*call.func);
    ASSERT_NE(resolved, nullptr);
    EXPECT_EQ(*resolved, "subprocess.call");
    const python::Constant* mode = file.constant_of(*name_arg(call, 1));
    ASSERT_NE(mode, nullptr);
    EXPECT_EQ(file.text({mode->start, mode->end}), "'fast'");
    const python::Constant* limit = file.constant_of(*name_arg(call, 2));
    ASSERT_NE(limit, nullptr);
    EXPECT_EQ(file.text({limit->start, limit->end}), "5");
    EXPECT_EQ(file.constant_of(*name_arg(call, 0)), nullptr);  // a parameter
    EXPECT_EQ(file.variable_scope(*name_arg(call, 1)), 0u);
    EXPECT_NE(file.variable_scope(*name_arg(call, 2)), 0u);
    EXPECT_EQ(file.line_column(call.start), (std::pair{6, 4}));
    EXPECT_EQ(file.blocks().size(), 2u);
    EXPECT_EQ(file.statements().size(), 5u);
    EXPECT_FALSE(file.expressions().empty());
  };
  {
    const FileContext file("t.py", text);
    ASSERT_NE(file.resolve_import(*call_in_tree(file).func), nullptr);
  }
  {
    const FileContext file("t.py", text);
    ASSERT_NE(file.constant_of(*name_arg(call_in_tree(file), 1)), nullptr);
  }
  {
    const FileContext file("t.py", text);
    EXPECT_NE(file.variable_scope(*name_arg(call_in_tree(file), 2)), 0u);
  }
  {
    const FileContext file("t.py", text);
    EXPECT_EQ(file.line_column(text.size()), (std::pair{7, 0}));
    EXPECT_EQ(file.line_column(0), (std::pair{1, 0}));
  }
  for (int first = 0; first < 3; ++first) {
    const FileContext file("t.py", text);
    if (first == 0) {
      EXPECT_EQ(file.blocks().size(), 2u);
    } else if (first == 1) {
      EXPECT_EQ(file.statements().size(), 5u);
    }
    const python::Call* call = call_of(file);
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(call, &call_in_tree(file));
    expect_answers(file, *call);
    expect_answers(file, *call);
  }
  const auto text_only = FileContext::text_only("t.txt", "one\ntwo\n");
  EXPECT_EQ(text_only->line_column(4), (std::pair{2, 0}));
  EXPECT_TRUE(text_only->nodes_of(python::NodeKind::Call).empty());
  EXPECT_TRUE(text_only->blocks().empty());
}
}  // namespace
}  // namespace moat::pattern
