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

std::string aligned_table(const std::vector<std::string>& heads,
                          const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < heads.size(); ++c) {
    std::vector<std::string> cells;
    for (const auto& r : rows) cells.push_back(r[c]);
    widths.push_back(column_width(cells, heads[c].size()));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c)
      out += (c ? "  " : "") + (c + 1 == cells.size() ? cells[c] : pad_right(cells[c], widths[c]));
    return out + "\n";
  };
  std::string out = line(heads);
  for (const auto& r : rows) out += line(r);
  return out;
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
