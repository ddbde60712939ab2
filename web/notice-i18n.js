// The staff notice's words in the kiosk's five locales (notice.js fills {days}, {log}, {group},
// {n}, {org}, {contact}, {date} from GET /api/v1/notice). Plain language: it is read by the staff
// the kiosk rates. docs/PRIVACY.md says the same for the technician and the data-protection officer.
"use strict";
window.FK_NOTICE = {
  en: {
    title: "The feedback kiosk: what it records about customers and staff",
    lead: "This notice is from {org}. Please read it; it is about you.",
    back: "Dashboard", print: "Print", loading: "Loading…", loadError: "Could not load the notice: {what}",
    orgUnset: "your employer", contactUnset: "your manager (no contact has been set yet)",
    collectTitle: "What the kiosk collects",
    collect: [
      "A customer taps one of the faces to say how the visit went. They may tap the name of the person who helped them, and after a bad rating they may pick a reason.",
      "The kiosk stores the rating, the time, the language of the screen, the reason and the person picked. Nothing else."],
    customersTitle: "Customers are anonymous",
    customers: [
      "The kiosk never asks a customer for a name, phone number, e-mail or card, and it has no camera or microphone. A rating cannot be traced back to a customer."],
    staffTitle: "What is recorded about staff",
    staff: [
      "Your name and a staff id, as your manager entered them in the kiosk's list of staff.",
      "For each rating where a customer picked you: the rating, the time and the reason. Complaints about waiting time or price do not count against you.",
      "Reports normally give nobody a score from fewer than {n} ratings: below that, they say “not enough data”."],
    whoTitle: "Who can see it",
    who: [
      "Your store manager, and coaches of your store, see the figures of each person in your store.",
      "Head office sees figures per person only where a person has at least {group} ratings in the period shown.",
      "Every time someone views or downloads figures per person, it is logged: who, when, what and from where. The log is kept {log} days. Customers and your colleagues cannot see your figures."],
    keptTitle: "How long it is kept",
    kept: [
      "Single ratings are deleted after {days} days, on the server and on the kiosks. After that only daily totals remain, which do not show single ratings.",
      "When you leave, you can ask for your name and id to be replaced by a made-up one, or removed from every rating. The store's totals stay the same."],
    askTitle: "Whom to ask",
    ask: [
      "For questions, a copy of the data about you, a correction, or to have it removed when you leave: {contact}."],
    footer: "{org} · printed {date}",
  },
  hi: {
    title: "फ़ीडबैक कियोस्क: यह ग्राहकों और कर्मचारियों के बारे में क्या दर्ज करता है",
    lead: "यह सूचना {org} की ओर से है। कृपया इसे पढ़ें; यह आपके बारे में है।",
    back: "डैशबोर्ड", print: "प्रिंट करें", loading: "लोड हो रहा है…", loadError: "सूचना लोड नहीं हो सकी: {what}",
    orgUnset: "आपका नियोक्ता", contactUnset: "आपके मैनेजर (अभी कोई संपर्क तय नहीं किया गया है)",
    collectTitle: "कियोस्क क्या इकट्ठा करता है",
    collect: [
      "ग्राहक यह बताने के लिए एक चेहरे पर टैप करता है कि उसका अनुभव कैसा रहा। वह उस व्यक्ति के नाम पर टैप कर सकता है जिसने उसकी मदद की, और खराब रेटिंग के बाद कोई कारण चुन सकता है।",
      "कियोस्क रेटिंग, समय, स्क्रीन की भाषा, कारण और चुने गए व्यक्ति को सहेजता है। इसके अलावा कुछ नहीं।"],
    customersTitle: "ग्राहक गुमनाम रहते हैं",
    customers: [
      "कियोस्क ग्राहक से कभी नाम, फ़ोन नंबर, ई-मेल या कार्ड नहीं माँगता, और इसमें कोई कैमरा या माइक्रोफ़ोन नहीं है। किसी रेटिंग से ग्राहक का पता नहीं लगाया जा सकता।"],
    staffTitle: "कर्मचारियों के बारे में क्या दर्ज होता है",
    staff: [
      "आपका नाम और एक कर्मचारी आईडी, जैसा आपके मैनेजर ने कियोस्क की कर्मचारी सूची में दर्ज किया है।",
      "हर उस रेटिंग के लिए जिसमें ग्राहक ने आपको चुना: रेटिंग, समय और कारण। प्रतीक्षा समय या कीमत की शिकायतें आपके ख़िलाफ़ नहीं गिनी जातीं।",
      "सामान्यतः {n} से कम रेटिंग पर रिपोर्ट किसी को स्कोर नहीं देती: उससे कम होने पर उसमें “पर्याप्त डेटा नहीं” लिखा होता है।"],
    whoTitle: "इसे कौन देख सकता है",
    who: [
      "आपके स्टोर के मैनेजर और आपके स्टोर के कोच आपके स्टोर के हर व्यक्ति के आँकड़े देखते हैं।",
      "मुख्य कार्यालय किसी व्यक्ति के आँकड़े तभी देखता है जब दिखाई गई अवधि में उसकी कम से कम {group} रेटिंग हों।",
      "जब भी कोई प्रति व्यक्ति आँकड़े देखता या डाउनलोड करता है, यह दर्ज होता है: किसने, कब, क्या और कहाँ से। यह रिकॉर्ड {log} दिन रखा जाता है। ग्राहक और आपके सहकर्मी आपके आँकड़े नहीं देख सकते।"],
    keptTitle: "इसे कितने समय तक रखा जाता है",
    kept: [
      "अलग-अलग रेटिंग {days} दिन बाद सर्वर और कियोस्क दोनों से मिटा दी जाती हैं। उसके बाद केवल दैनिक कुल संख्या रहती है, जिसमें अलग-अलग रेटिंग नहीं दिखतीं।",
      "नौकरी छोड़ते समय आप कह सकते हैं कि आपका नाम और आईडी किसी बनावटी नाम से बदल दिया जाए, या हर रेटिंग से हटा दिया जाए। स्टोर की कुल संख्या वही रहती है।"],
    askTitle: "किससे पूछें",
    ask: [
      "सवालों के लिए, अपने बारे में डेटा की प्रति के लिए, सुधार के लिए, या नौकरी छोड़ने पर उसे हटवाने के लिए: {contact}।"],
    footer: "{org} · प्रिंट की तारीख़ {date}",
  },
  ne: {
    title: "फिडब्याक किओस्क: यसले ग्राहक र कर्मचारीबारे के रेकर्ड गर्छ",
    lead: "यो सूचना {org} को तर्फबाट हो। कृपया पढ्नुहोस्; यो तपाईंकै बारेमा हो।",
    back: "ड्यासबोर्ड", print: "प्रिन्ट गर्नुहोस्", loading: "लोड हुँदैछ…", loadError: "सूचना लोड गर्न सकिएन: {what}",
    orgUnset: "तपाईंको रोजगारदाता", contactUnset: "तपाईंको म्यानेजर (अहिलेसम्म कुनै सम्पर्क तोकिएको छैन)",
    collectTitle: "किओस्कले के सङ्कलन गर्छ",
    collect: [
      "ग्राहकले आफ्नो अनुभव कस्तो रह्यो भन्न एउटा अनुहारमा ट्याप गर्छन्। उनीहरूले मद्दत गर्ने व्यक्तिको नाममा ट्याप गर्न सक्छन्, र नराम्रो मूल्याङ्कनपछि कारण छान्न सक्छन्।",
      "किओस्कले मूल्याङ्कन, समय, स्क्रिनको भाषा, कारण र छानिएको व्यक्ति सुरक्षित गर्छ। अरू केही होइन।"],
    customersTitle: "ग्राहक गुमनाम रहन्छन्",
    customers: [
      "किओस्कले ग्राहकसँग कहिल्यै नाम, फोन नम्बर, इमेल वा कार्ड माग्दैन, र यसमा क्यामेरा वा माइक्रोफोन छैन। कुनै मूल्याङ्कनबाट ग्राहक पत्ता लगाउन सकिँदैन।"],
    staffTitle: "कर्मचारीबारे के रेकर्ड हुन्छ",
    staff: [
      "तपाईंको नाम र एउटा कर्मचारी आईडी, जसरी तपाईंको म्यानेजरले किओस्कको कर्मचारी सूचीमा राख्नुभएको छ।",
      "ग्राहकले तपाईंलाई छानेको हरेक मूल्याङ्कनका लागि: मूल्याङ्कन, समय र कारण। पर्खाइको समय वा मूल्यबारेका गुनासा तपाईंको विरुद्धमा गनिँदैनन्।",
      "सामान्यतया {n} भन्दा कम मूल्याङ्कनबाट रिपोर्टले कसैलाई अङ्क दिँदैन: त्योभन्दा कम हुँदा “पर्याप्त डेटा छैन” लेखिन्छ।"],
    whoTitle: "यो कसले हेर्न सक्छ",
    who: [
      "तपाईंको स्टोरका म्यानेजर र तपाईंको स्टोरका कोचले तपाईंको स्टोरका हरेक व्यक्तिका तथ्याङ्क हेर्छन्।",
      "मुख्य कार्यालयले कुनै व्यक्तिका तथ्याङ्क देखाइएको अवधिमा उसको कम्तीमा {group} मूल्याङ्कन भएमा मात्र हेर्छ।",
      "कसैले प्रति व्यक्ति तथ्याङ्क हेर्दा वा डाउनलोड गर्दा हरेक पटक रेकर्ड हुन्छ: कसले, कहिले, के र कहाँबाट। यो रेकर्ड {log} दिन राखिन्छ। ग्राहक र तपाईंका सहकर्मीले तपाईंका तथ्याङ्क हेर्न सक्दैनन्।"],
    keptTitle: "यो कति समय राखिन्छ",
    kept: [
      "एक-एक मूल्याङ्कन {days} दिनपछि सर्भर र किओस्क दुवैबाट मेटाइन्छ। त्यसपछि दैनिक जम्मा सङ्ख्या मात्र रहन्छ, जसमा एक-एक मूल्याङ्कन देखिँदैन।",
      "जागिर छोड्दा तपाईंले आफ्नो नाम र आईडी बनावटी नामले बदल्न, वा हरेक मूल्याङ्कनबाट हटाउन भन्न सक्नुहुन्छ। स्टोरको जम्मा सङ्ख्या उही रहन्छ।"],
    askTitle: "कसलाई सोध्ने",
    ask: [
      "प्रश्नका लागि, तपाईंबारेको डेटाको प्रतिलिपिका लागि, सच्याउनका लागि, वा जागिर छोड्दा हटाउनका लागि: {contact}।"],
    footer: "{org} · प्रिन्ट मिति {date}",
  },
  te: {
    title: "ఫీడ్‌బ్యాక్ కియోస్క్: ఇది కస్టమర్ల గురించి, సిబ్బంది గురించి ఏమి నమోదు చేస్తుంది",
    lead: "ఈ నోటీసు {org} నుండి. దయచేసి చదవండి; ఇది మీ గురించే.",
    back: "డాష్‌బోర్డ్", print: "ప్రింట్ చేయండి", loading: "లోడ్ అవుతోంది…", loadError: "నోటీసును లోడ్ చేయలేకపోయాం: {what}",
    orgUnset: "మీ యజమాని", contactUnset: "మీ మేనేజర్ (ఇంకా ఎవరినీ సంప్రదింపుగా నిర్ణయించలేదు)",
    collectTitle: "కియోస్క్ ఏమి సేకరిస్తుంది",
    collect: [
      "కస్టమర్ తమ అనుభవం ఎలా ఉందో చెప్పడానికి ఒక ముఖంపై నొక్కుతారు. తమకు సహాయం చేసిన వ్యక్తి పేరుపై నొక్కవచ్చు, చెడ్డ రేటింగ్ తర్వాత ఒక కారణాన్ని ఎంచుకోవచ్చు.",
      "కియోస్క్ రేటింగ్, సమయం, స్క్రీన్ భాష, కారణం, ఎంచుకున్న వ్యక్తిని మాత్రమే దాచుకుంటుంది. ఇంకేమీ కాదు."],
    customersTitle: "కస్టమర్ల పేర్లు తెలియవు",
    customers: [
      "కియోస్క్ కస్టమర్‌ను ఎప్పుడూ పేరు, ఫోన్ నంబర్, ఈ-మెయిల్ లేదా కార్డు అడగదు, దానికి కెమెరా గానీ మైక్రోఫోన్ గానీ లేదు. ఒక రేటింగ్ నుండి కస్టమర్‌ను గుర్తించలేరు."],
    staffTitle: "సిబ్బంది గురించి ఏమి నమోదవుతుంది",
    staff: [
      "మీ మేనేజర్ కియోస్క్ సిబ్బంది జాబితాలో నమోదు చేసిన మీ పేరు, ఒక సిబ్బంది ఐడీ.",
      "కస్టమర్ మిమ్మల్ని ఎంచుకున్న ప్రతి రేటింగ్‌కు: రేటింగ్, సమయం, కారణం. వేచి ఉండే సమయం లేదా ధర గురించిన ఫిర్యాదులు మీకు వ్యతిరేకంగా లెక్కించబడవు.",
      "సాధారణంగా {n} కంటే తక్కువ రేటింగ్‌లతో నివేదికలు ఎవరికీ స్కోరు ఇవ్వవు: అంతకంటే తక్కువ ఉంటే “తగినంత డేటా లేదు” అని ఉంటుంది."],
    whoTitle: "దీన్ని ఎవరు చూడగలరు",
    who: [
      "మీ స్టోర్ మేనేజర్, మీ స్టోర్ కోచ్‌లు మీ స్టోర్‌లోని ప్రతి వ్యక్తి గణాంకాలను చూస్తారు.",
      "చూపిన కాలంలో ఒక వ్యక్తికి కనీసం {group} రేటింగ్‌లు ఉంటేనే ప్రధాన కార్యాలయం ఆ వ్యక్తి గణాంకాలను చూస్తుంది.",
      "ఎవరైనా వ్యక్తిగత గణాంకాలను చూసిన లేదా డౌన్‌లోడ్ చేసిన ప్రతిసారీ నమోదవుతుంది: ఎవరు, ఎప్పుడు, ఏమిటి, ఎక్కడి నుండి. ఈ రికార్డు {log} రోజులు ఉంచబడుతుంది. కస్టమర్లు, మీ సహోద్యోగులు మీ గణాంకాలను చూడలేరు."],
    keptTitle: "ఎంత కాలం ఉంచుతారు",
    kept: [
      "ఒక్కొక్క రేటింగ్‌ను {days} రోజుల తర్వాత సర్వర్ నుండి, కియోస్క్‌ల నుండి తొలగిస్తారు. ఆ తర్వాత రోజువారీ మొత్తాలు మాత్రమే ఉంటాయి, వాటిలో ఒక్కొక్క రేటింగ్ కనిపించదు.",
      "మీరు ఉద్యోగం వదిలినప్పుడు, మీ పేరు, ఐడీని ఒక కల్పిత పేరుతో మార్చమని లేదా ప్రతి రేటింగ్ నుండి తీసివేయమని అడగవచ్చు. స్టోర్ మొత్తాలు మారవు."],
    askTitle: "ఎవరిని అడగాలి",
    ask: [
      "ప్రశ్నలకు, మీ గురించిన డేటా ప్రతికి, సవరణకు, లేదా ఉద్యోగం వదిలినప్పుడు దాన్ని తీసివేయడానికి: {contact}."],
    footer: "{org} · ప్రింట్ చేసిన తేదీ {date}",
  },
  da: {
    title: "Feedback-kiosken: hvad den registrerer om kunder og medarbejdere",
    lead: "Denne meddelelse er fra {org}. Læs den venligst; den handler om dig.",
    back: "Oversigt", print: "Udskriv", loading: "Indlæser…", loadError: "Meddelelsen kunne ikke indlæses: {what}",
    orgUnset: "din arbejdsgiver", contactUnset: "din leder (der er endnu ikke angivet en kontakt)",
    collectTitle: "Hvad kiosken indsamler",
    collect: [
      "En kunde trykker på et af ansigterne for at sige, hvordan besøget gik. Kunden kan trykke på navnet på den, der hjalp, og efter en dårlig bedømmelse vælge en årsag.",
      "Kiosken gemmer bedømmelsen, tidspunktet, skærmens sprog, årsagen og den valgte medarbejder. Intet andet."],
    customersTitle: "Kunderne er anonyme",
    customers: [
      "Kiosken beder aldrig en kunde om navn, telefonnummer, e-mail eller kort, og den har hverken kamera eller mikrofon. En bedømmelse kan ikke føres tilbage til en kunde."],
    staffTitle: "Hvad der registreres om medarbejdere",
    staff: [
      "Dit navn og et medarbejder-id, som din leder har skrevet dem i kioskens medarbejderliste.",
      "For hver bedømmelse, hvor en kunde valgte dig: bedømmelsen, tidspunktet og årsagen. Klager over ventetid eller pris tæller ikke imod dig.",
      "Rapporterne giver normalt ingen en score ud fra færre end {n} bedømmelser: under det står der “for få data”."],
    whoTitle: "Hvem kan se det",
    who: [
      "Din butikschef og din butiks coaches ser tallene for hver medarbejder i din butik.",
      "Hovedkontoret ser kun tal for en medarbejder, der har mindst {group} bedømmelser i den viste periode.",
      "Hver gang nogen ser eller henter tal pr. medarbejder, bliver det logget: hvem, hvornår, hvad og hvorfra. Loggen gemmes i {log} dage. Kunder og dine kolleger kan ikke se dine tal."],
    keptTitle: "Hvor længe det gemmes",
    kept: [
      "Enkelte bedømmelser slettes efter {days} dage, både på serveren og på kioskerne. Derefter findes kun daglige totaler, som ikke viser enkelte bedømmelser.",
      "Når du stopper, kan du bede om, at dit navn og id erstattes af et opdigtet, eller fjernes fra alle bedømmelser. Butikkens totaler forbliver de samme."],
    askTitle: "Hvem du kan spørge",
    ask: [
      "Spørgsmål, en kopi af data om dig, en rettelse, eller sletning når du stopper: {contact}."],
    footer: "{org} · udskrevet {date}",
  },
};
