import { list, type NamePools, stems, suffixRules } from './locale-types.js';

/**
 * Polish, Russian, Ukrainian and Greek name pools, most frequent first; Cyrillic and Greek ones in
 * their own script. Surnames are listed in the masculine form and feminized per person.
 */

const PL_LAST = list(`Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński,
    Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Wojciechowski, Kwiatkowski, Krawczyk,
    Kaczmarek, Piotrowski, Grabowski, Zając, Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel,
    Nowakowski, Majewski, Olszewski, Stępień, Malinowski, Jaworski, Adamczyk, Dudek, Nowicki, Pawlak,
    Górski, Witkowski, Walczak, Sikora, Baran, Rutkowski, Michalak, Szewczyk, Ostrowski, Tomaszewski,
    Pietrzak, Zalewski, Wróblewski, Marciniak, Jasiński, Zawadzki, Bąk, Jakubowski, Sadowski, Duda,
    Włodarczyk, Wilk, Chmielewski, Borkowski, Sokołowski, Szczepański, Sawicki, Lis, Kucharski, Mazurek,
    Kubiak, Kalinowski, Wysocki, Kołodziej, Kaźmierczak, Czarnecki, Sobczak, Konieczny, Urbański,
    Głowacki, Wasilewski, Zakrzewski, Krajewski, Sobczyk`);
const PL_ENDINGS = list('owski, ewski, iński, ecki, czak, czyk, ak, ek, owicz, ewicz, kiewicz');

export const POLISH_NAMES: NamePools = {
  male: list(`Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Jan, Michał, Marcin, Stanisław, Jakub, Adam,
    Marek, Łukasz, Grzegorz, Mateusz, Wojciech, Mariusz, Dariusz, Zbigniew, Jerzy, Maciej, Rafał, Kamil,
    Robert, Józef, Janusz, Szymon, Ryszard, Kacper, Filip, Bartosz, Dawid, Sebastian, Przemysław, Damian,
    Artur, Daniel, Aleksander, Henryk, Tadeusz, Kazimierz, Zdzisław, Antoni, Wiktor, Hubert, Igor, Oskar,
    Patryk, Karol, Bogdan, Leszek, Mirosław, Sławomir, Wiesław`),
  female: list(`Anna, Maria, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna, Elżbieta,
    Magdalena, Joanna, Zofia, Aleksandra, Monika, Teresa, Danuta, Natalia, Julia, Karolina, Marta, Beata,
    Dorota, Halina, Jadwiga, Janina, Alicja, Jolanta, Iwona, Grażyna, Irena, Bożena, Urszula, Justyna,
    Renata, Paulina, Hanna, Zuzanna, Wiktoria, Maja, Lena, Oliwia, Amelia, Weronika, Dominika, Patrycja,
    Kinga, Sylwia, Edyta, Emilia, Gabriela`),
  last: PL_LAST,
  tail: [
    [
      list(`Bar, Biel, Brzoz, Cie, Dęb, Gaj, Gór, Jasz, Kos, Krzy, Las, Lip, Mak, Mił, Now, Ol, Pol, Sos, Świer,
      Wierz, Wol, Zar`),
      PL_ENDINGS,
    ],
    // Nowak → Nowakowski, Mazur → Mazurkiewicz.
    [stems(PL_LAST, /$/, (s) => !/(ski|cki|dzki|ny)$/.test(s)), list('owski, ewicz, kiewicz, owicz, ewski')],
  ],
  compoundLast: 0,
  feminize: suffixRules([
    ['ski', 'ska'],
    ['cki', 'cka'],
    ['dzki', 'dzka'],
    ['ny', 'na'],
  ]),
};

const RU_LAST = list(`Иванов, Смирнов, Кузнецов, Попов, Васильев, Петров, Соколов, Михайлов, Новиков, Фёдоров,
    Морозов, Волков, Алексеев, Лебедев, Семёнов, Егоров, Павлов, Козлов, Степанов, Николаев, Орлов,
    Андреев, Макаров, Никитин, Захаров, Зайцев, Соловьёв, Борисов, Яковлев, Григорьев, Романов,
    Воробьёв, Сергеев, Кузьмин, Фролов, Александров, Дмитриев, Королёв, Гусев, Киселёв, Ильин, Максимов,
    Поляков, Сорокин, Виноградов, Ковалёв, Белов, Медведев, Антонов, Тарасов, Жуков, Баранов, Филиппов,
    Комаров, Давыдов, Беляев, Герасимов, Богданов, Осипов, Сидоров, Матвеев, Титов, Марков, Миронов,
    Крылов, Куликов, Карпов, Власов, Мельников, Денисов, Гаврилов, Тихонов, Казаков, Афанасьев, Данилов,
    Савельев, Тимофеев, Фомин, Чернов, Абрамов, Мартынов, Ефимов, Федотов, Щербаков, Назаров, Калинин,
    Исаев, Чернышёв, Быков, Маслов, Родионов, Коновалов, Лазарев, Воронин, Климов, Филатов, Пономарёв,
    Голубев, Кудрявцев, Прохоров, Наумов, Потапов, Журавлёв, Овчинников, Трофимов, Леонов, Соболев,
    Ермаков, Колесников, Гончаров, Емельянов, Никифоров, Грачёв, Котов, Гришин, Ефремов, Архипов,
    Громов, Кириллов, Малышев, Панов, Моисеев, Румянцев, Акимов, Кондратьев, Бирюков, Горбунов,
    Анисимов, Тихомиров, Галкин, Лукьянов, Михеев, Скворцов, Юдин, Белоусов, Нестеров, Симонов,
    Прокофьев, Харитонов, Князев, Цветков, Левин, Митрофанов, Воронов, Аксёнов, Мальцев, Логинов,
    Горшков, Савин, Краснов, Майоров, Демидов, Елисеев, Рыбаков, Сафонов, Плотников, Хохлов, Жданов,
    Островский, Вишневский, Покровский`);
const RU_ENDINGS = list('ов, ин, ёв, ицын, енков, ский, анов, уев, ович, ихин');

export const RUSSIAN_NAMES: NamePools = {
  male: list(`Александр, Сергей, Дмитрий, Андрей, Алексей, Максим, Евгений, Иван, Михаил, Артём,
    Николай, Владимир, Денис, Павел, Роман, Игорь, Олег, Антон, Виктор, Юрий, Никита, Илья, Кирилл,
    Егор, Константин, Василий, Вадим, Даниил, Тимур, Станислав, Георгий, Григорий, Борис, Анатолий,
    Валерий, Геннадий, Леонид, Пётр, Фёдор, Матвей, Степан, Ярослав, Глеб, Вячеслав, Руслан, Аркадий,
    Семён, Тимофей`),
  female: list(`Елена, Ольга, Наталья, Татьяна, Ирина, Светлана, Анна, Мария, Екатерина, Юлия,
    Анастасия, Марина, Людмила, Галина, Дарья, Ксения, Александра, Виктория, Евгения, Валентина,
    Надежда, Любовь, Вера, Оксана, Алёна, Полина, Елизавета, Софья, Кристина, Алина, Яна, Маргарита,
    Вероника, Диана, Ангелина, Варвара, Лариса, Нина, Зоя, Тамара, Жанна, Лидия, Алла, Таисия`),
  last: RU_LAST,
  tail: [
    [
      list(`Бел, Черн, Сер, Гор, Жар, Добр, Лес, Мор, Сух, Тих, Хол, Бор, Вол, Грач, Дуб, Зим, Клён, Лис, Сев,
      Снег, Чиж, Щук, Рогоз, Ершов, Ключ`),
      RU_ENDINGS,
    ],
    [stems(RU_LAST, /(ов|ев|ёв|ин|ын|ский|цкий)$/), RU_ENDINGS],
  ],
  compoundLast: 0,
  feminize: suffixRules([
    ['ский', 'ская'],
    ['цкий', 'цкая'],
    ['ов', 'ова'],
    ['ёв', 'ёва'],
    ['ев', 'ева'],
    ['ин', 'ина'],
    ['ын', 'ына'],
  ]),
};

const UA_LAST =
  list(`Мельник, Шевченко, Бойко, Коваленко, Бондаренко, Ткаченко, Ковальчук, Кравченко, Олійник,
    Шевчук, Коваль, Поліщук, Бондар, Ткачук, Марченко, Лисенко, Руденко, Савченко, Петренко, Кравчук,
    Клименко, Мороз, Павленко, Савчук, Левченко, Харченко, Карпенко, Гончаренко, Романенко, Мазур,
    Кузьменко, Литвиненко, Кушнір, Сидоренко, Гаврилюк, Панченко, Мартинюк, Пономаренко, Тимошенко,
    Яковенко, Андрієнко, Костенко, Лук'яненко, Вовк, Зінченко, Приходько, Остапенко, Гордієнко,
    Іваненко, Ковальський, Вишневський, Савицький, Грищенко, Федоренко, Василенко`);
const UA_ENDINGS = list('енко, ук, юк, чук, ович, ецький, ишин, ич, ак');

export const UKRAINIAN_NAMES: NamePools = {
  male: list(`Олександр, Сергій, Андрій, Дмитро, Володимир, Олексій, Іван, Микола, Юрій, Василь,
    Віктор, Максим, Михайло, Богдан, Тарас, Петро, Ігор, Роман, Павло, Євген, Артем, Денис, Олег,
    Ярослав, Анатолій, Степан, Григорій, Остап, Назар, Віталій, Руслан, Валентин, Кирило, Данило,
    Матвій, Тимофій`),
  female: list(`Олена, Ольга, Наталія, Тетяна, Ірина, Світлана, Оксана, Юлія, Марія, Анна, Катерина,
    Людмила, Галина, Надія, Вікторія, Анастасія, Леся, Христина, Софія, Дарина, Соломія, Богдана,
    Ярослава, Мирослава, Лариса, Віра, Любов, Зоряна, Іванна, Олеся`),
  last: UA_LAST,
  tail: [
    [list('Бонд, Гнат, Дем, Жук, Кир, Лев, Мик, Нест, Оніщ, Проц, Семен, Тар, Хом, Яр'), UA_ENDINGS],
    [stems(UA_LAST, /(енко|єнко|ук|юк|чук|ський|цький|ик|ар)$/), UA_ENDINGS],
  ],
  compoundLast: 0,
  feminize: suffixRules([
    ['ський', 'ська'],
    ['цький', 'цька'],
  ]),
};

const GR_LAST = list(`Παπαδόπουλος, Παππάς, Οικονόμου, Γεωργίου, Παπαδάκης, Βασιλείου, Νικολάου, Καραγιάννης,
    Μακρής, Παπαγεωργίου, Ιωάννου, Δημητρίου, Κωνσταντινίδης, Αθανασίου, Χριστοδούλου, Αντωνίου,
    Παπανικολάου, Μαυρίδης, Αλεξίου, Κυριακίδης, Θεοδωρίδης, Παπαδημητρίου, Σταματόπουλος,
    Αναγνώστου, Λαμπρόπουλος, Παναγιωτόπουλος, Κωστόπουλος, Μιχαηλίδης, Καλογεράκης, Ζαχαρίου,
    Χατζηδάκης, Σπυρόπουλος, Αποστολίδης, Πετρίδης, Γεωργιάδης, Ευαγγέλου, Κοντός, Μπακάλης,
    Τζανετάκης, Βλάχος, Μαρκόπουλος, Σαββίδης, Φραγκιαδάκης, Ψαράς, Ξενάκης, Ζαφειρίου, Δημόπουλος,
    Αλεξανδρόπουλος, Καρράς, Μαυρομάτης, Πανταζής, Ρήγας, Σιδηρόπουλος, Τσακίρης, Χριστάκης`);
/** A Greek word carries one accent: the stem gives its own up to the ending's (Χριστοδούλ → Χριστοδουλ). */
function withoutAccent(stem: string): string {
  return stem
    .normalize('NFD')
    .replace(/\u0301/g, '')
    .normalize('NFC');
}

const GR_ENDINGS = list('όπουλος, άκης, ίδης, άτος, ιάδης, ούλης, έας');

export const GREEK_NAMES: NamePools = {
  male: list(`Γιώργος, Γιάννης, Κώστας, Δημήτρης, Νίκος, Παναγιώτης, Βασίλης, Χρήστος, Θανάσης,
    Μιχάλης, Βαγγέλης, Σπύρος, Αντώνης, Τάσος, Θοδωρής, Ανδρέας, Χαράλαμπος, Αλέξανδρος, Μανώλης,
    Ηλίας, Σταύρος, Πέτρος, Στέλιος, Λευτέρης, Άγγελος, Παύλος, Σωτήρης, Απόστολος, Στέφανος, Φώτης,
    Θωμάς, Λάμπρος, Γεώργιος, Ιωάννης, Κωνσταντίνος, Δημήτριος, Νικόλαος, Βασίλειος, Αθανάσιος,
    Ευάγγελος, Σπυρίδων, Αντώνιος, Εμμανουήλ, Πάνος`),
  female: list(`Μαρία, Ελένη, Κατερίνα, Βασιλική, Σοφία, Αγγελική, Γεωργία, Δήμητρα, Κωνσταντίνα,
    Παρασκευή, Χριστίνα, Ευαγγελία, Αναστασία, Ιωάννα, Ειρήνη, Παναγιώτα, Χρυσούλα, Θεοδώρα,
    Αλεξάνδρα, Δέσποινα, Φωτεινή, Ευτυχία, Σταυρούλα, Αθανασία, Νικολέτα, Αικατερίνη, Ελπίδα,
    Αφροδίτη, Ζωή, Δανάη, Άννα`),
  last: GR_LAST,
  tail: [
    [
      list(`Αγγελ, Βλαχ, Γιαννακ, Δημ, Θεοχαρ, Καλ, Λιακ, Μανωλ, Ντιν, Πετρ, Σταυρ, Τσιρ, Φωτ, Χατζ`),
      GR_ENDINGS,
    ],
    // Παπαδόπουλος → Παπαδάκης, Γεωργίου → Γεωργιάδης.
    [stems(GR_LAST, /(όπουλος|ίδης|ιάδης|άκης|άτος|ος|ης|ας|ου|ής|άς|ός)$/).map(withoutAccent), GR_ENDINGS],
  ],
  compoundLast: 0,
  feminize: suffixRules([
    ['όπουλος', 'οπούλου'],
    ['ίδης', 'ίδου'],
    ['ιάδης', 'ιάδου'],
    ['άδης', 'άδου'],
    ['άκης', 'άκη'],
    ['άτος', 'άτου'],
    ['ός', 'ού'],
    ['ος', 'ου'],
    ['ής', 'ή'],
    ['ης', 'η'],
    ['άς', 'ά'],
    ['ας', 'α'],
  ]),
};
