// The reasons a kiosk offers when its configuration lists none. Only staff_attitude is about the
// rep: queues, prices, stock and cleaning are the store's doing, and must not count against a
// person (issue 6).

#include "config/KioskConfig.h"

namespace fk::config {

std::vector<Reason> DefaultReasons() {
    return {
        {"wait_time",
         {{"en", "Waiting time"},
          {"hi", "प्रतीक्षा समय"},
          {"ne", "पर्खाइको समय"},
          {"te", "వేచి ఉండే సమయం"},
          {"da", "Ventetid"}},
         false},
        {"staff_attitude",
         {{"en", "Staff attitude"},
          {"hi", "कर्मचारी का व्यवहार"},
          {"ne", "कर्मचारीको व्यवहार"},
          {"te", "సిబ్బంది ప్రవర్తన"},
          {"da", "Personalets opførsel"}},
         true},
        {"product_availability",
         {{"en", "Product not available"},
          {"hi", "सामान उपलब्ध नहीं"},
          {"ne", "सामान उपलब्ध छैन"},
          {"te", "వస్తువు అందుబాటులో లేదు"},
          {"da", "Varen var udsolgt"}},
         false},
        {"price",
         {{"en", "Price"}, {"hi", "कीमत"}, {"ne", "मूल्य"}, {"te", "ధర"}, {"da", "Pris"}},
         false},
        {"cleanliness",
         {{"en", "Cleanliness"},
          {"hi", "साफ़-सफ़ाई"},
          {"ne", "सरसफाइ"},
          {"te", "పరిశుభ్రత"},
          {"da", "Renlighed"}},
         false},
        {"other",
         {{"en", "Something else"},
          {"hi", "कुछ और"},
          {"ne", "अरू केही"},
          {"te", "మరేదైనా"},
          {"da", "Noget andet"}},
         false},
    };
}

}  // namespace fk::config
