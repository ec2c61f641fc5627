// The department profiles: which positions a department employs, and how many of each.
#include "codes.hpp"

namespace staffcast::detail::gen {

// The three social-services departments, then the generic profiles.
const std::vector<std::vector<WeightedPos>>& profile_defs() {
  static const std::vector<std::vector<WeightedPos>> defs = {
      // 0: Barn och unga
      {{pSocialsekreterare, 42},
       {pFamiljebehandlare, 14},
       {pBehandlingsassistent, 13},
       {pUtredare, 11},
       {pAdministrator, 7},
       {pHandlaggare, 5},
       {pSamordnare, 5}},
      // 1: Vuxen
      {{pSocialsekreterare, 25},
       {pBehandlingsassistent, 22},
       {pBoendestodjare, 20},
       {pUtredare, 9},
       {pHandlaggare, 8},
       {pAdministrator, 6},
       {pSamordnare, 6},
       {pFamiljebehandlare, 4}},
      // 2: Försörjningsstöd
      {{pHandlaggareEkb, 34},
       {pSocialsekreterare, 24},
       {pHandlaggare, 12},
       {pAdministrator, 10},
       {pUtredare, 8},
       {pSamordnare, 7},
       {pBehandlingsassistent, 5}},
      // 3: äldreomsorg
      {{pUnderskoterska, 50},
       {pVardbitrade, 20},
       {pSjukskoterska, 10},
       {pArbetsterapeut, 3},
       {pFysioterapeut, 3},
       {pAdministrator, 4},
       {pKock, 4},
       {pLokalvardare, 6}},
      // 4: förskola
      {{pForskollarare, 45},
       {pBarnskotare, 40},
       {pKock, 4},
       {pMaltidsbitrade, 4},
       {pLokalvardare, 5},
       {pAdministrator, 2}},
      // 5: skola
      {{pLarare, 55},
       {pFritidspedagog, 10},
       {pElevassistent, 12},
       {pKurator, 3},
       {pAdministrator, 5},
       {pMaltidsbitrade, 8},
       {pLokalvardare, 5},
       {pBibliotekarie, 2}},
      // 6: hälso- och sjukvård
      {{pSjukskoterska, 35},
       {pUnderskoterska, 30},
       {pLakare, 15},
       {pSpecialistsjukskoterska, 10},
       {pFysioterapeut, 4},
       {pAdministrator, 6}},
      // 7: funktionsstöd
      {{pPersonligAssistent, 40},
       {pStodassistent, 35},
       {pUnderskoterska, 10},
       {pArbetsterapeut, 3},
       {pBoendestodjare, 6},
       {pAdministrator, 4},
       {pSamordnare, 2}},
      // 8: socialtjänst
      {{pSocialsekreterare, 45},
       {pHandlaggareEkb, 18},
       {pBehandlingsassistent, 17},
       {pKurator, 5},
       {pAdministrator, 10},
       {pUtredare, 5}},
      // 9: stab och administration
      {{pHandlaggare, 25},
       {pAdministrator, 20},
       {pEkonom, 15},
       {pHrSpecialist, 15},
       {pItTekniker, 15},
       {pIngenjor, 10}},
      // 10: teknik och service
      {{pFastighetsskotare, 30}, {pIngenjor, 20}, {pLokalvardare, 30}, {pItTekniker, 10}, {pHandlaggare, 10}},
  };
  return defs;
}

}  // namespace staffcast::detail::gen
