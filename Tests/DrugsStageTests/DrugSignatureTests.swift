import ClinPipeCore
import DrugsStage
import Testing

@Suite("Drug signatures: strength, form, route, frequency, quantity, refills, duration")
struct DrugSignatureTests {
    /// The attributes of the first drug in `text`.
    func attributes(_ text: String) throws -> Attributes {
        let document = try DrugsTesting.run(text)
        return try #require(DrugsTesting.drugs(document).first).attributes
    }

    @Test("the full signature of a request in a letter")
    func fullSignature() throws {
        let attributes = try attributes("A request for Flexeril 5mg 1 PO QHS PRN #30 with 2 refills was made by the")
        #expect(attributes["generic"] == "cyclobenzaprine")
        #expect(attributes["brand"] == true)
        #expect(attributes["strength"] == "5")
        #expect(attributes["unit"] == "mg")
        #expect(attributes["dose"] == "1")
        #expect(attributes["route"] == "oral")
        #expect(attributes["frequency"] == "QHS PRN")
        #expect(attributes["as_needed"] == true)
        #expect(attributes["quantity"] == 30)
        #expect(attributes["refills"] == 2)
    }

    @Test("strengths and units", arguments: [
        ("Norco 10/325 mg #90", "10/325", "mg"),
        ("Norco 10/325 #120", "10/325", nil),
        ("Norco 10-325mg, Ketoprofen 50mg", "10/325", "mg"),
        ("Hydrocodone 10mg/325mg tablets", "10/325", "mg"),
        ("Lidocaine 5% patch #1", "5", "%"),
        ("capsaicin 0.025% cream", "0.025", "%"),
        ("Motrin 800 TID", "800", nil),
        ("Amrix 15mg (unspecified quantity)", "15", "mg"),
        ("Butrans 10 mcg/hr patch every 7 days", "10", "mcg/hr"),
        ("Kenalog 40 mg/mL injection", "40", "mg/ml"),
    ] as [(String, String, String?)])
    func strength(_ text: String, _ strength: String, _ unit: String?) throws {
        let attributes = try attributes(text)
        #expect(attributes["strength"] == .string(strength))
        #expect(attributes["unit"] == unit.map { .string($0) })
    }

    @Test("numbers that are not strengths", arguments: [
        "Tylenol; 6 chiropractic treatments",
        "Norco 2015 notes were reviewed",
        "Naprosyn 2 tablets daily",
        "Norco 4-8/10 pain",
        "Tramadol 3 times a day",
    ])
    func notStrength(_ text: String) throws {
        #expect(try attributes(text)["strength"] == nil)
    }

    @Test("forms and routes", arguments: [
        ("Norco 5/325mg oral tablet, one tablet twice daily", "tablet", "oral"),
        ("Voltaren gel apply to affected area 4 times a day", "gel", "topical"),
        ("Toradol 60 mg IM injection", "injection", "intramuscular"),
        ("fentanyl 25 mcg/hr transdermal patch every 72 hours", "patch", "transdermal"),
        ("Zofran 4 mg IV", nil, "intravenous"),
        ("Lidoderm", "patch", "topical"),
        ("ketoprofen cream", "cream", nil),
        ("ondansetron solution 4 mg SL", "solution", "sublingual"),
    ] as [(String, String?, String?)])
    func formAndRoute(_ text: String, _ form: String?, _ route: String?) throws {
        let attributes = try attributes(text)
        #expect(attributes["form"] == form.map { .string($0) })
        #expect(attributes["route"] == route.map { .string($0) })
    }

    @Test("frequencies", arguments: [
        ("Ambien 10 mg QHS", "QHS"), ("Ambien 10 mg q.h.s.", "QHS"), ("Ambien 10 mg at bedtime", "QHS"),
        ("Naproxen 550 mg BID", "BID"), ("Naproxen 550 mg b.i.d.", "BID"), ("Naproxen 550 mg twice daily", "BID"),
        ("Naproxen 550 mg twice a day", "BID"), ("Tramadol 50 mg TID", "TID"),
        ("Tramadol one tablet three times daily", "TID"), ("Voltaren gel four times daily", "QID"),
        ("Norco 10/325 q6h prn", "Q6H PRN"), ("Norco 10/325 every 4-6 hours as needed", "Q4-6H PRN"),
        ("Percocet 5/325 1 tab PO q4h PRN pain", "Q4H PRN"), ("Mobic 15 mg daily", "QD"),
        ("Mobic 15 mg once a day", "QD"), ("Lyrica 75 mg PRN", "PRN"), ("Prilosec 20 mg qAM", "QAM"),
        ("Lidoderm patch, 12 hours on 12 hours off", "12H ON/12H OFF"), ("Capsaicin patch, 2 times weekly", "2/WEEK"),
        ("methotrexate 15 mg weekly", "QWEEK"), ("Toradol 60 mg IM once", "ONCE"),
    ])
    func frequency(_ text: String, _ frequency: String) throws {
        #expect(try attributes(text)["frequency"] == .string(frequency))
    }

    @Test("quantities, refills and durations")
    func quantityRefillsDuration() throws {
        var found = try attributes("Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS")
        #expect(found["quantity"] == 60)
        #expect(found["quantity_unit"] == "g")
        #expect(found["refills"] == 1)
        found = try attributes("Voltaren 75mg #60 with three (3) refills.")
        #expect(found["quantity"] == 60)
        #expect(found["refills"] == 3)
        found = try attributes("Keflex 500 mg QID for 10 days, quantity 40, no refills")
        #expect(found["duration"] == "10 days")
        #expect(found["quantity"] == 40)
        #expect(found["refills"] == 0)
        found = try attributes("Norco 5/325mg oral tablet, one tablet twice daily 14 days #40: Upheld")
        #expect(found["duration"] == "14 days")
        #expect(found["quantity"] == 40)
        #expect(found["dose"] == "1")
        #expect(found["dose_unit"] == "tablet")
        found = try attributes("Tramadol 50mg with a quantity of 60 to be non-certified")
        #expect(found["quantity"] == 60)
        found = try attributes("Ergocalciferol 800 international units a day")
        #expect(found["unit"] == "IU")
        #expect(found["frequency"] == "QD")
        found = try attributes("Medrol dose pack x 6 days")
        #expect(found["duration"] == "6 days")
    }

    @Test("the signature stops at the next drug, a period and a blank line")
    func boundaries() throws {
        let document = try DrugsTesting.run("Norco and Soma 350 mg TID. Flexeril\n\n5 mg #30")
        #expect(DrugsTesting.drug("Norco", in: document)?.attributes["strength"] == nil)
        #expect(DrugsTesting.drug("Soma", in: document)?.attributes["strength"] == "350")
        #expect(DrugsTesting.drug("Soma", in: document)?.attributes["frequency"] == "TID")
        #expect(DrugsTesting.drug("Flexeril", in: document)?.attributes["quantity"] == nil)
        // A strength after "and" belongs to what follows ("50 mg of Demerol and 3.75 mg of Versed").
        let listed = try DrugsTesting.run("a total of 50 mg of Demerol and 3.75 mg of Versed IV push")
        #expect(DrugsTesting.drug("Demerol", in: listed)?.attributes["strength"] == nil)
    }

    @Test("release words")
    func release() throws {
        #expect(try attributes("Ultram ER 100mg #60: Upheld")["release"] == "extended-release")
        #expect(try attributes("Naproxen DR 500 mg")["release"] == "delayed-release")
        #expect(try attributes("Anaprox DS #60")["release"] == "double-strength")
        #expect(try attributes("Amrix (Flexeril extended-release) 15 mg")["release"] == nil)
        let document = try DrugsTesting.run("Amrix (Flexeril extended-release) 15 mg")
        #expect(DrugsTesting.drug("Flexeril", in: document)?.attributes["release"] == "extended-release")
    }
}
