// reStructuredText problems that make readme_renderer (and so `twine check`) fail, modelled on broken
// READMEs seen on PyPI; and well-formed READMEs that must stay clean.
#include <gtest/gtest.h>

#include "moat/dist/metadata.hpp"
#include "moat/dist/rst.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::dist::check_rst;

std::string problems_of(std::string_view text) {
  std::string out;
  for (const auto& problem : check_rst(text))
    out += std::to_string(problem.line) + ":" + std::to_string(problem.level) + ": " + problem.message + "\n";
  return out;
}

TEST(Rst, WellFormedReadmeIsClean) {
  const char* readme = R"(==========
 demo-pkg
==========

.. image:: https://img.shields.io/pypi/v/demo.svg
   :target: https://pypi.org/project/demo/
   :alt: PyPI

.. |ci| image:: https://example.com/ci.svg

A *small* package with **strong** claims, ``literal`` code, `a link <https://example.com>`_,
:code:`inline`, :pep:`8`, an escaped \*.py glob, 2 * 3 = 6 and (*) markers.

Installation
============

Run::

    pip install demo-pkg

Then:

- first item
  continued
- second item

.. note::
   Notes may span
   several lines.

.. list-table::

    * - a
      - b
        continued
    * - c
      - d
.. |docs| image:: https://example.com/docs.svg

.. code-block:: python

    def f(*args):
        return `not rst` ``here

Usage
-----

+------+-------+
| a    | b     |
+======+=======+
| 1    | 2     |
+------+-------+

term
    definition

>>> def f(*args, **kwargs):
...     return `x

.. _target: https://example.com/*star

.. This is a comment with *unbalanced markup

Changes
=======

1. enumerated
2. list
)";
  EXPECT_EQ(problems_of(readme), "");
}

TEST(Rst, TitleAdornmentsTooShort) {
  EXPECT_EQ(problems_of("Installation guide\n=====\n\nText.\n"), "2:2: Title underline too short.\n");
  EXPECT_EQ(problems_of("=====\nInstallation guide\n=====\n"), "1:2: Title overline too short.\n");
  EXPECT_EQ(problems_of("======\nTitle\n------\n"), "1:4: Title overline & underline mismatch.\n");
  // Under four characters docutils reads a short underline as ordinary text.
  EXPECT_EQ(problems_of("Installation\n==\n"), "");
  // East Asian wide characters take two columns.
  EXPECT_EQ(problems_of("\xE4\xBD\xBF\xE7\x94\xA8\xE6\x96\xB9\xE6\xB3\x95\n======\n"), "2:2: Title underline too short.\n");
}

TEST(Rst, InconsistentTitleLevels) {
  EXPECT_EQ(problems_of("Top\n===\n\nSub\n---\n\nSubsub\n~~~~~~\n\nNext\n====\n\nBad\n~~~\n"),
            "13:4: Title level inconsistent:\n");
  EXPECT_EQ(problems_of("Top\n===\n\nSub\n---\n\nTop again\n=========\n\nSub again\n---------\n"), "");
}

TEST(Rst, SphinxDirectivesAndRolesAreUnknownToDocutils) {
  EXPECT_EQ(problems_of("Intro\n\n.. toctree::\n   :maxdepth: 2\n\n   usage\n\n.. versionadded:: 1.2\n"),
            "3:3: Unknown directive type \"toctree\".\n8:3: Unknown directive type \"versionadded\".\n");
  EXPECT_EQ(problems_of("Call :func:`main` or :py:class:`demo.Thing`.\n"),
            "1:3: Unknown interpreted text role \"func\".\n1:3: Unknown interpreted text role \"py:class\".\n");
  // A role defined in the document is known from then on.
  EXPECT_EQ(problems_of(".. role:: red\n\nThis is :red:`red`.\n"), "");
}

TEST(Rst, RawAndIncludeAreDisabledByReadmeRenderer) {
  EXPECT_EQ(problems_of(".. raw:: html\n\n   <p align=\"center\"><img src=\"logo.png\"></p>\n\nText.\n"),
            "1:2: \"raw\" directive disabled.\n");
  EXPECT_EQ(problems_of(".. include:: CHANGES.rst\n"), "1:2: \"include\" directive disabled.\n");
}

TEST(Rst, InlineMarkupWithoutEndString) {
  EXPECT_EQ(problems_of("Use ``pip install demo to install.\n"), "1:2: Inline literal start-string without end-string.\n");
  EXPECT_EQ(problems_of("Match *.py files.\n"), "1:2: Inline emphasis start-string without end-string.\n");
  EXPECT_EQ(problems_of("This is **important.\n"), "1:2: Inline strong start-string without end-string.\n");
  EXPECT_EQ(problems_of("See `the docs <https://example.com>_ for more.\n"),
            "1:2: Inline interpreted text or phrase reference start-string without end-string.\n");
  // Markup may span the lines of a paragraph, not paragraphs.
  EXPECT_EQ(problems_of("An *emphasised\nphrase* here.\n"), "");
  EXPECT_EQ(problems_of("An *emphasised\n\nphrase* here.\n"), "1:2: Inline emphasis start-string without end-string.\n");
  // docutils reports inline problems at the first line of their paragraph.
  EXPECT_EQ(problems_of("Paragraph line one\nline two\nsee :func:`x` and ``y here\n"),
            "1:3: Unknown interpreted text role \"func\".\n1:2: Inline literal start-string without end-string.\n");
  EXPECT_EQ(problems_of("See the\n:doc:`guide` and\n- this dash\n"), "1:3: Unknown interpreted text role \"doc\".\n");
}

TEST(Rst, BlocksThatEndWithoutABlankLine) {
  EXPECT_EQ(problems_of(".. image:: https://example.com/badge.svg\n   :target: https://example.com\nSome text.\n"),
            "3:2: Explicit markup ends without a blank line; unexpected unindent.\n");
  EXPECT_EQ(problems_of("- one\n- two\nnot indented\n"), "3:2: Bullet list ends without a blank line; unexpected unindent.\n");
  EXPECT_EQ(problems_of("Example::\n\n    code\nback\n"), "4:2: Literal block ends without a blank line; unexpected unindent.\n");
}

TEST(Rst, IndentationProblems) {
  EXPECT_EQ(problems_of("First line of a paragraph\nsecond line\n    indented third\n"), "3:3: Unexpected indentation.\n");
  EXPECT_EQ(problems_of("Example::\n\nnot indented\n"), "3:2: Literal block expected; none found.\n");
  EXPECT_EQ(problems_of("Text\n\nExample::\n\n\n"), "6:2: Literal block expected; none found.\n");
}

TEST(Rst, MalformedGridTable) {
  EXPECT_EQ(problems_of("+-----+-----+\n| a   | b  |\n+-----+-----+\n"), "1:3: Malformed table.\n");
}

TEST(Rst, MetadataCheckRunsItForRstAndMissingContentTypes) {
  const std::string broken = "Demo\n==\n\nDemo package\n=====\n\nSee :func:`main`.\n";
  const auto check = [](const std::string& metadata) {
    return moat::dist::check_core_metadata(moat::dist::parse_core_metadata(metadata), {"METADATA", "", "", "", {}});
  };
  const auto rst = check("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nDescription-Content-Type: text/x-rst\n\n" + broken);
  const auto problems = moat::testing::with_rule(rst, "MOAT-M007");
  ASSERT_EQ(problems.size(), 2u) << moat::testing::rules_of(rst);
  EXPECT_EQ(problems[0]->message,
            "long description line 5: Warning: Title underline too short. (twine check fails; PyPI rejects the upload)");
  const auto missing = check("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n" + broken);
  EXPECT_EQ(moat::testing::with_rule(missing, "MOAT-M007").size(), 2u);
  const auto markdown = check("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nDescription-Content-Type: text/markdown\n\n" + broken);
  EXPECT_FALSE(moat::testing::has_rule(markdown, "MOAT-M007"));
}

}  // namespace
