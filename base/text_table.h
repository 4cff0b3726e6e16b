// Plain-text tables for the terminal: column widths come from the cells, so
// a longer name (a new model, shape or phase) keeps every row aligned.
//
// Invariant: a padded cell is never cut; it is at least `width` characters
// (bytes) long, longer only when the cell itself is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace consim {

// `cell` followed by spaces up to `width` characters.
std::string pad_right(std::string_view cell, std::size_t width);
// The longest of `cells`, and at least `at_least` (e.g. the heading's length).
std::size_t column_width(const std::vector<std::string>& cells, std::size_t at_least = 0);
// A table: the heading line, then one line per row; every cell but a
// line's last is padded to its column's width (the widest of its heading
// and cells) and followed by two spaces. Example: heads {"model", "lost"},
// rows {{"causal", "0"}} give "model   lost\ncausal  0\n".
std::string aligned_table(const std::vector<std::string>& heads,
                          const std::vector<std::vector<std::string>>& rows);
// One line per (name, description): two spaces, the name padded to the
// longest name, a space, the description.
std::string name_list(const std::vector<std::pair<std::string, std::string>>& rows);

}  // namespace consim
