# Słowa samego podręcznika (`missive rules`): nagłówki, etykiety i objaśnienia, po polsku.
#
# To nie są komunikaty listów: szablony nie widzą tego pliku, a `missive check` nie liczy jego
# komunikatów jako nieużywanych ani nieprzetłumaczonych. Każdy komunikat można tu przeredagować;
# usunięty wraca z wbudowanej polskiej kopii missive (nigdy z innego języka). W komunikacie
# `kod` drukuje się jako kod, a **słowa** są wyróżnione; wartości (nazwy, frazy) — tak, jak zapisano.

## Strona tytułowa

kicker = Standard korespondencji { $company }
owner = Właściciel
review-by = Przegląd do
languages = Języki
language-default = { $language } ({ $tag }, domyślny)
language-tag-default = { $tag } (domyślny)
language-other = { $language } ({ $tag })
rules = Reguły
rules-summary = { $rules } w { $packs ->
    [one] 1 pakiecie
   *[other] { $packs } pakietach
} oraz wbudowana `{ $review }`
intro = Ten podręcznik to standard, którego trzyma się każdy list { $company }, bez względu na to, kto go pisze i którym kanałem wychodzi; jest drukowany z plików samego standardu, więc mówi dokładnie to, co sprawdza missive. Reguły są zebrane w pakiety; każdy ma właściciela, który za niego odpowiada, i datę, do której przechodzi przegląd. W pakiecie **{ group-always }** wymienia to, co list musi zawierać, **{ group-never }** — sformułowania niepasujące do marki wraz z brzmieniem, którego używamy zamiast nich, a **{ group-keep }** wyznacza granice tonu i długości. Przy każdej regule stoi jej identyfikator (podają go uwagi), jej waga — błąd: list nie wyjdzie, dopóki go nie poprawimy; ostrzeżenie: popraw; informacja: rada — oraz listy, których dotyczy. Dopasowanie pomija wielkość liter i interpunkcję, a fraza zakończona * obejmuje każde słowo, które tak się zaczyna.
contents = Spis treści
rule-count = { $count ->
    [one] 1 reguła
    [few] { $count } reguły
    [many] { $count } reguł
   *[other] { $count } reguły
}
footer = Wydrukowane przez missive z plików standardu { $name }. Standardem są pliki reguł; ta strona tylko je pokazuje.

## Grupy reguł w pakiecie

group-always = Zawsze pisz
group-always-blurb = Co musi zawierać każdy list, którego dotyczy reguła.
group-never = Nigdy nie pisz
group-never-blurb = Sformułowania, które nigdy nie pasują do marki, i brzmienie standardu, którego używamy zamiast nich.
group-keep = Trzymaj się
group-keep-blurb = Granice tonu i długości.

## Reguła

severity-error = błąd
severity-warning = ostrzeżenie
severity-info = informacja
letters = Listy
letters-all = wszystkie listy
letters-none-yet = (nie ma jeszcze listu tego rodzaju)
why = Dlaczego
never-write = Nigdy nie pisz
write-instead = Napisz zamiast tego
no-set-wording = brak ustalonego brzmienia: napisz, co zrobimy i do kiedy
as-above = jak wyżej

## Gdzie w liście reguła szuka

region-whole = w dowolnym miejscu listu
region-opening = na początku listu ({ $n ->
    [one] pierwszy akapit
    [few] pierwsze { $n } akapity
   *[other] pierwszych { $n } akapitów
})
region-closing = w zakończeniu listu ({ $n ->
    [one] ostatni akapit
    [few] ostatnie { $n } akapity
   *[other] ostatnich { $n } akapitów
})
region-subject = w temacie

## Czego wymaga każdy rodzaj reguły

require-lead = { $where } napisz jedno z:
forbid-within = Sprawdzane tylko { $where }.
field-lead = List podaje każdą z tych wartości tak, jak drukuje się ją w jego języku:
structure-salutation = Zacznij od jednego z tych zwrotów grzecznościowych, zanim padnie cokolwiek innego:
structure-closing = Zakończ jedną z tych formuł, a pod nią podpis { $company }:
deadline = Data `{ $date }` wypada najpóźniej { $days } { $count ->
    [business] { $days ->
        [one] dzień roboczy
        [few] dni robocze
       *[other] dni roboczych
    }
   *[calendar] { $days ->
        [one] dzień
       *[other] dni
    }
} po `{ $from }`, a list ją podaje.
deadline-business = Dni robocze to dni od poniedziałku do piątku bez polskich świąt ustawowych.
promise-lead = { $fact ->
    [attachment] Obiecany załącznik: gdy list{ $where } mówi jedno z poniższych, ma załącznik:
   *[date] Obiecana data: gdy list{ $where } mówi jedno z poniższych, po tych słowach podaje datę:
}
promise-instead = Napisz zamiast tego ({ $tag }): { $suggestion }
limit-not-counted = Nie liczą się:
# Rzeczownik miary liczonej, dla { $n } sztuk.
metric-exclamation_marks = { $n ->
    [one] wykrzyknik
    [few] wykrzykniki
   *[other] wykrzykników
}
metric-caps_words = { $n ->
    [one] słowo wielkimi literami
    [few] słowa wielkimi literami
   *[other] słów wielkimi literami
}
metric-sentences = { $n ->
    [one] zdanie
    [few] zdania
   *[other] zdań
}
# { $place } to „na list”, „w liście” albo miejsce w liście, ze spacją przed nim, albo nic.
limit-per-letter = na list
limit-in-a-letter = w liście
limit-none = Żadnych { metric-genitive }{ $place }.
metric-genitive = { $metric ->
    [exclamation_marks] wykrzykników
    [caps_words] słów wielkimi literami
   *[sentences] zdań
}
limit-between = Od { $min } do { $max } { metric-genitive }{ $place }.
limit-at-least = Co najmniej { $min } { $noun }{ $place }.
limit-at-most = Najwyżej { $max } { $noun }{ $place }.
limit-any = Dowolna liczba { metric-genitive }{ $place }.
# Najdłuższe zdanie albo akapit.
limit-each = { $metric ->
    [sentence_words] Zdania mają
   *[paragraph_words] Akapity mają
} { $bound }{ $place }.
words-between = od { $min } do { $max } słów
words-at-least = co najmniej { $min } { $min ->
    [one] słowo
    [few] słowa
   *[other] słów
}
words-at-most = najwyżej { $max } { $max ->
    [one] słowo
    [few] słowa
   *[other] słów
}
words-any = dowolną liczbę słów
limit-readability = Indeks mglistości (FOG-PL): { $bound }{ $place }; tekst w granicach 9–12 czyta się łatwo.
bound-between = od { $min } do { $max }
bound-at-least = co najmniej { $min }
bound-at-most = najwyżej { $max }
bound-any = dowolny

## Aktualność: wbudowana reguła przeglądu i kalendarz

reviews = Aktualność
review-title = Każdy element przechodzi przegląd w terminie.
then = potem
letters-reviewed = wszystkie listy i pakiety
review-rule = Standard, każdy pakiet reguł i każdy list ma właściciela i datę przeglądu. Od dnia po tej dacie missive zgłasza ostrzeżenie; po ponad { $grace } { $grace ->
    [one] dniu
   *[other] dniach
} — błąd, dopóki właściciel nie przejrzy elementu i nie przesunie daty.
review-calendar = Kalendarz przeglądów
calendar-what = Co
calendar-standard = Standard (missive.toml)
calendar-pack = Pakiet reguł: { $name }
calendar-letter = List: { $title }

## Listy

letters-covered = Listy objęte standardem
no-letters = Standard nie ma jeszcze listów.
letter = List
letter-id = List (identyfikator)
id = Identyfikator
kind = Rodzaj
channels = Kanały

## Jak działają reguły: każdy rodzaj reguły

how = Jak działają reguły
what-it-checks = Co sprawdza
why-it-matters = Dlaczego to ważne
example = Przykład

kind-require-what = W danej części listu (w całym liście, na początku, w zakończeniu albo w temacie) pojawia się jedna z wymienionych fraz, w języku listu. Fraza zakończona * pasuje do każdej odmiany (dziękuj* pasuje do dziękujemy, dziękuję).
kind-require-why = Stałe elementy standardu — podziękowanie na każdej fakturze, numer sprawy w odpowiedzi na reklamację — to to, po czym klienci rozpoznają głos firmy. List bez nich odbiega od standardu, nawet gdy każde zdanie jest poprawne.
kind-require-instead = Dodaj jedną z wymienionych fraz tam, gdzie reguła jej szuka, najlepiej przez wspólny fragment (partial), który ją zawiera.

kind-forbid-what = W liście nie pojawia się żadna z wymienionych fraz. `substitute` to to samo sprawdzenie z obowiązkową podpowiedzią: brzmieniem marki na tę samą rzecz.
kind-forbid-why = Klienci pamiętają zdanie, które zrzuciło winę na komputer, przełożonego albo procedurę — albo na nich samych. Takie frazy nie mogą trafić do listu, bez względu na to, kto je napisał.
kind-forbid-instead = Napisz zdanie głosem marki: powiedz, co firma zrobi i do kiedy. Podpowiedź reguły pokazuje brzmienie standardu.

kind-limit-what = Miara listu mieści się w granicy `max` (i/lub `min`): exclamation_marks (wykrzykniki), caps_words (słowa z czterech lub więcej wielkich liter; `ignore` wymienia skrótowce), sentence_words (najdłuższe zdanie), sentences (liczba zdań), paragraph_words (najdłuższy akapit), readability (FOG-PL / indeks mglistości Gunninga: 0,4 × (słowa na zdanie + 100 × udział długich słów), przy czym długie słowo ma co najmniej 4 sylaby po polsku, 3 po angielsku; tekst w granicach 9–12 czyta się łatwo).
kind-limit-why = Krzyk (!!!, WIELKIE LITERY) i ściany tekstu brzmią jak złość albo obojętność; standard wyznacza spokojny, jasny ton, którego trzyma się każdy konsultant i każdy szablon.
kind-limit-instead = Podziel długie zdania, usuń wykrzykniki i wielkie litery; powiedz to raz, prosto.

kind-field-what = Wartość każdego wymienionego pola pojawia się w liście tak, jak list ją drukuje: imię i nazwisko tak, jak podano, kwoty i daty w języku listu (data w formie długiej lub krótkiej). Pole, którego rekord nie podaje, nie jest sprawdzane.
kind-field-why = List zwraca się do klienta po nazwisku, a odpowiedź na reklamację podaje numer sprawy i obiecane daty; szablon, który je gubi, brzmi jak formularz i zostawia klienta w niepewności.
kind-field-instead = Wydrukuj pole w szablonie (albo przekaż je komunikatowi, który powinien o nim mówić).

kind-structure-what = Zwrot grzecznościowy z listy stoi na początku listu (w pierwszych trzech akapitach: adres, miejscowość i data, zwrot), zanim padnie cokolwiek innego; formuła końcowa z listy stoi w ostatnim akapicie, a pod nią podpisuje się firma nadawcy.
kind-structure-why = Każdy list firmy ma tę samą ramę; odpowiedź, która zaczyna się w pół zdania albo kończy bez formuły i podpisu, wygląda na niedokończoną i nieoficjalną.
kind-structure-instead = Buduj listy na wspólnych fragmentach: najpierw komunikat ze zwrotem grzecznościowym, na końcu partials/signature.tera.

kind-deadline-what = Pole daty `date` wypada najpóźniej `max_days` po polu daty `from`, licząc dni kalendarzowe albo robocze (od poniedziałku do piątku bez polskich świąt ustawowych), a list podaje tę datę.
kind-deadline-why = Czas jest częścią obietnicy. Polskie prawo konsumenckie daje przedsiębiorcy 14 dni na odpowiedź na reklamację (inaczej uznaje się ją za przyjętą); instytucje finansowe mają 30 dni, do 60 w sprawach złożonych, z wyjaśnieniem opóźnienia. Odpowiedź, która obiecuje późniejszą datę, łamie prawo i zaufanie klienta.
kind-deadline-instead = Obiecaj wcześniejszą datę, a w sprawie złożonej wyjaśnij, dlaczego potrzeba więcej czasu i do kiedy przyjdzie odpowiedź.

kind-promise-what = Gdy list mówi jedną z wymienionych fraz, ma to, co fraza obiecuje. `promises = "attachment"`: e-mail niesie co najmniej jeden plik (`attachments` rekordu albo PDF samego listu, gdy szablon mówi `attach_pdf = true`). `promises = "date"`: w ciągu 8 słów po frazie, w tym samym akapicie, stoi data zapisana tak, jak zapisuje ją język listu (`7 grudnia 2026`, `December 7, 2026`, `7 gru 2026`), albo cyframi (`07.12.2026`, `7/12/2026`, `2026-12-07`).
kind-promise-why = List, który mówi „w załączeniu” i nic nie załącza, albo prosi o odpowiedź „do dnia” i nie podaje dnia, każe klientowi szukać czegoś, czego nie ma, i kończy się telefonem albo drugim listem. Klient bierze list za słowo.
kind-promise-instead = Daj to, co list obiecuje (załącz plik; wydrukuj datę zaraz po frazie), albo przeredaguj zdanie tak, by obiecywało tylko to, co list ma.

kind-review-what = Wbudowana w każdy standard: standard (missive.toml), każdy pakiet reguł i każdy szablon ma właściciela i datę `review_by`. Po tej dacie to ostrzeżenie; po okresie karencji z missive.toml ([rules] review_grace_days, domyślnie 30) — błąd.
kind-review-why = Standardy, których nikt nie przegląda, odpływają od praktyki, aż każdy oddział ma własny nieoficjalny wariant — i wtedy nie ma już standardu.
kind-review-instead = Przejrzyj element z jego właścicielem, potem przesuń `review_by`.

## Jedna reguła objaśniona (`missive rules <id>`)

rule-pack = Pakiet
rule-kind = Rodzaj
rule-severity = Waga
rule-where = Gdzie
rule-templates = Szablony
rule-templates-none = jeszcze żadne
rule-declared = Zapisana w
rule-suppress = Wyłącz ją w szablonie, podając powód
rule-reason = powód
rule-suppress-review = Nie da się jej wyłączyć: przejrzyj element z właścicielem i przesuń `review_by`.
rule-handbook = Podręcznik
rule-handbook-none = nieopublikowany: ustaw [standard] handbook_url w missive.toml, by linkować każdą regułę
