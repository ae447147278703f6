// Finding order: by path, line, column and rule; equal findings keep their order.
#include "moat/base/finding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace moat {
namespace {

Finding at(std::string path, int line, int column, std::string rule, std::string message = {}) {
  Finding finding;
  finding.location = Location{std::move(path), line, column, line, column};
  finding.rule_id = std::move(rule);
  finding.message = std::move(message);
  return finding;
}

std::vector<std::string> order(const std::vector<Finding>& findings) {
  std::vector<std::string> keys;
  for (const Finding& f : findings)
    keys.push_back(f.location.path + ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + ":" +
                   f.rule_id + f.message);
  return keys;
}

TEST(SortFindings, OrdersRunsOfOneFileAndWholeScansAlike) {
  // Files already in path order (as scans give them): each file's findings are sorted in place.
  std::vector<Finding> grouped{at("a.py", 9, 0, "B101"), at("a.py", 2, 4, "B602"), at("a.py", 2, 4, "B404", "first"),
                               at("a.py", 2, 4, "B404", "second"), at("b.py", 1, 0, "B101"), at("c.py", 3, 0, "B105"),
                               at("c.py", 1, 2, "B105")};
  sort_findings(grouped);
  EXPECT_EQ(order(grouped), (std::vector<std::string>{"a.py:2:4:B404first", "a.py:2:4:B404second", "a.py:2:4:B602",
                                                      "a.py:9:0:B101", "b.py:1:0:B101", "c.py:1:2:B105", "c.py:3:0:B105"}));
  // Paths out of order (findings merged from several analyzers): the same order results.
  std::vector<Finding> mixed{at("c.py", 3, 0, "B105"), at("a.py", 9, 0, "B101"), at("b.py", 1, 0, "B101"),
                             at("a.py", 2, 4, "B404", "first"), at("c.py", 1, 2, "B105"), at("a.py", 2, 4, "B602"),
                             at("a.py", 2, 4, "B404", "second")};
  sort_findings(mixed);
  EXPECT_EQ(order(mixed), order(grouped));
}

}  // namespace
}  // namespace moat
