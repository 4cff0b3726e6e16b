// Column widths from the cells; see text_table.h.
#include "base/text_table.h"

#include <algorithm>

namespace consim {

std::string pad_right(std::string_view cell, std::size_t width) {
  std::string out(cell);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::size_t column_width(const std::vector<std::string>& cells, std::size_t at_least) {
  std::size_t width = at_least;
  for (const auto& c : cells) width = std::max(width, c.size());
  return width;
}

std::string name_list(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.first);
  std::size_t width = column_width(names);
  std::string out;
  for (const auto& [name, description] : rows)
    out += "  " + pad_right(name, width) + " " + description + "\n";
  return out;
}

}  // namespace consim
