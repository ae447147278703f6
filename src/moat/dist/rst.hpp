#pragma once
// The reStructuredText errors that make `twine check` fail: readme_renderer renders text/x-rst (and
// descriptions without a content type) with docutils and rejects any message of level WARNING or
// above. This is a documented subset of docutils' diagnostics, found without building a document
// tree (docs/inspect.md lists what is and is not checked).
#include <string>
#include <string_view>
#include <vector>

namespace moat::dist {

struct RstProblem {
  int line = 0;         // 1-based, in the description
  int level = 2;        // docutils levels: 2 WARNING, 3 ERROR, 4 SEVERE
  std::string message;  // docutils' wording
};

/// The problems docutils would report at WARNING level or above, in line order.
std::vector<RstProblem> check_rst(std::string_view text);

}  // namespace moat::dist
