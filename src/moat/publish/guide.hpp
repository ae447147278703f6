#pragma once
// The secure-publishing checklist behind `moat guide publish` (docs/publishing.md has the same text).
#include <string>
#include <string_view>

namespace moat::publish {

/// A release workflow that passes every MOAT-WF audit: build job, publish job with Trusted Publishing.
std::string_view guide_example_workflow();

/// The full checklist as terminal text, the example workflow included.
std::string publish_guide_text();

}  // namespace moat::publish
