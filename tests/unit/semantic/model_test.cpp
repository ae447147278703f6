#include "moat/semantic/model.hpp"

#include <gtest/gtest.h>

#include "moat/python/visitor.hpp"

namespace {

namespace py = moat::python;

/// The qualified name of the callee of every call, in source order.
std::vector<std::string> callee_names(std::string_view source) {
  const py::ParseResult parsed = py::parse(source);
  EXPECT_TRUE(parsed.ok());
  const moat::semantic::SemanticModel model(parsed, "pkg.mod");
  std::vector<std::string> names;
  py::walk(parsed.module(), [&](const py::Node& node) {
    if (const auto* call = py::dyn_cast<py::Call>(&node)) names.push_back(model.qualified_name(*call->func));
    return true;
  });
  return names;
}

TEST(SemanticModel, ResolvesImportAliases) {
  EXPECT_EQ(callee_names("import subprocess as sp\nsp.Popen(x)\n"), std::vector<std::string>{"subprocess.Popen"});
  EXPECT_EQ(callee_names("from os import system as s\ns(x)\n"), std::vector<std::string>{"os.system"});
  EXPECT_EQ(callee_names("import os.path\nos.path.join(a)\n"), std::vector<std::string>{"os.path.join"});
}

TEST(SemanticModel, FollowsAssignmentAliases) {
  EXPECT_EQ(callee_names("import subprocess as sp\nrunner = sp.call\nrunner(x)\n"),
            std::vector<std::string>{"subprocess.call"});
}

TEST(SemanticModel, ScopesFunctionLocalImports) {
  const auto names = callee_names("def f():\n    import hashlib as h\n    h.md5()\nh.md5()\n");
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "hashlib.md5");
  EXPECT_EQ(names[1], "h.md5");  // the import does not leak out of the function
}

TEST(SemanticModel, LocalAssignmentShadowsImport) {
  const auto names = callee_names("import subprocess as sp\ndef f():\n    sp = fake()\n    sp.call(x)\nsp.call(y)\n");
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[1], "sp.call");          // the local `sp` is not the module
  EXPECT_EQ(names[2], "subprocess.call");  // the module-level alias still is
}

TEST(SemanticModel, EnclosingScopeBindingVisibleInFunction) {
  EXPECT_EQ(callee_names("def f():\n    yaml.load(x)\nimport yaml\n"), std::vector<std::string>{"yaml.load"});
  EXPECT_EQ(callee_names("from yaml import load\ndef f():\n    load(x)\n"), std::vector<std::string>{"yaml.load"});
}

TEST(SemanticModel, RelativeImportsResolveAgainstModulePath) {
  EXPECT_EQ(callee_names("from . import util\nutil.run()\n"), std::vector<std::string>{"pkg.util.run"});
  EXPECT_EQ(callee_names("from .helpers import go\ngo()\n"), std::vector<std::string>{"pkg.helpers.go"});
}

TEST(SemanticModel, ImportedModules) {
  const py::ParseResult parsed = py::parse("from yaml import load\nimport a.b\ndef f():\n    import tarfile\n");
  const moat::semantic::SemanticModel model(parsed);
  EXPECT_TRUE(model.imports_module("yaml"));
  EXPECT_TRUE(model.imports_module("yaml.load"));
  EXPECT_TRUE(model.imports_module("a.b"));
  EXPECT_TRUE(model.imports_module("tarfile"));
  EXPECT_FALSE(model.imports_module("a"));
  EXPECT_TRUE(model.imports_like("tar"));
}

TEST(SemanticModel, NonChainsHaveNoName) {
  EXPECT_EQ(callee_names("requests.Session().get(u)\n"), (std::vector<std::string>{"", "requests.Session"}));
}

}  // namespace
