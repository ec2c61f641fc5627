// Reads a register, reports validation problems, and counts who is employed.
//   staffcast_example employments.csv 2024-09-30
#include <staffcast/staffcast.hpp>

#include <iostream>
#include <set>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: staffcast_example REGISTER.csv YYYY-MM-DD\n";
    return 2;
  }
  const auto day = staffcast::parse_iso_date(argv[2]);
  if (!day) {
    std::cerr << "not a date: " << argv[2] << "\n";
    return 2;
  }
  try {
    const staffcast::Register reg = staffcast::read_register_csv(argv[1]);
    const staffcast::SpellColumns& spells = reg.spells();
    std::set<std::uint32_t> employed;
    for (std::size_t i = 0; i < spells.size(); ++i) {
      if (spells.start_date[i] <= *day && *day <= spells.end_date[i]) employed.insert(spells.person[i]);
    }
    std::cout << "staffcast " << STAFFCAST_VERSION << "\n"
              << "spells: " << reg.size() << ", persons: " << reg.persons()
              << ", warnings: " << reg.issues().warning_count() << "\n"
              << "persons employed on " << argv[2] << ": " << employed.size() << "\n";
  } catch (const staffcast::validation_error& e) {
    for (const auto& issue : e.issues().items()) {
      std::cerr << issue.file << ":" << issue.row << ": " << issue.column << ": " << issue.code << ": " << issue.message
                << "\n";
    }
    return 2;
  } catch (const staffcast::error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
