/**
 * 業種 of a call-list customer (A.8.2 column 4): a major division (大分類) of the Japan Standard
 * Industrial Classification (日本標準産業分類, rev. 14), A–T. A middle-division (中分類) name is
 * replaced by its major division, as MOT does. Names are kept in MOT's spelling, where the
 * official `，` is written `・` (不動産業・物品賃貸業); reading accepts either, half- or
 * full-width brackets, and stray spaces. Pure data and functions.
 */

export const JSIC_MAJOR_CODES = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
] as const;
export type JsicMajorCode = (typeof JSIC_MAJOR_CODES)[number];

interface MajorDivision {
  name: string;
  /** The middle divisions (中分類) under it, by their official names. */
  middle: readonly string[];
}

export const JSIC_MAJOR_DIVISIONS: Readonly<Record<JsicMajorCode, MajorDivision>> = {
  A: { name: '農業・林業', middle: ['農業', '林業'] },
  B: { name: '漁業', middle: ['漁業（水産養殖業を除く）', '水産養殖業'] },
  C: { name: '鉱業・採石業・砂利採取業', middle: ['鉱業，採石業，砂利採取業'] },
  D: { name: '建設業', middle: ['総合工事業', '職別工事業（設備工事業を除く）', '設備工事業'] },
  E: {
    name: '製造業',
    middle: [
      '食料品製造業',
      '飲料・たばこ・飼料製造業',
      '繊維工業',
      '木材・木製品製造業（家具を除く）',
      '家具・装備品製造業',
      'パルプ・紙・紙加工品製造業',
      '印刷・同関連業',
      '化学工業',
      '石油製品・石炭製品製造業',
      'プラスチック製品製造業（別掲を除く）',
      'ゴム製品製造業',
      'なめし革・同製品・毛皮製造業',
      '窯業・土石製品製造業',
      '鉄鋼業',
      '非鉄金属製造業',
      '金属製品製造業',
      'はん用機械器具製造業',
      '生産用機械器具製造業',
      '業務用機械器具製造業',
      '電子部品・デバイス・電子回路製造業',
      '電気機械器具製造業',
      '情報通信機械器具製造業',
      '輸送用機械器具製造業',
      'その他の製造業',
    ],
  },
  F: { name: '電気・ガス・熱供給・水道業', middle: ['電気業', 'ガス業', '熱供給業', '水道業'] },
  G: {
    name: '情報通信業',
    middle: [
      '通信業',
      '放送業',
      '情報サービス業',
      'インターネット附随サービス業',
      '映像・音声・文字情報制作業',
    ],
  },
  H: {
    name: '運輸業・郵便業',
    middle: [
      '鉄道業',
      '道路旅客運送業',
      '道路貨物運送業',
      '水運業',
      '航空運輸業',
      '倉庫業',
      '運輸に附帯するサービス業',
      '郵便業（信書便事業を含む）',
    ],
  },
  I: {
    name: '卸売業・小売業',
    middle: [
      '各種商品卸売業',
      '繊維・衣服等卸売業',
      '飲食料品卸売業',
      '建築材料，鉱物・金属材料等卸売業',
      '機械器具卸売業',
      'その他の卸売業',
      '各種商品小売業',
      '織物・衣服・身の回り品小売業',
      '飲食料品小売業',
      '機械器具小売業',
      'その他の小売業',
      '無店舗小売業',
    ],
  },
  J: {
    name: '金融業・保険業',
    middle: [
      '銀行業',
      '協同組織金融業',
      '貸金業，クレジットカード業等非預金信用機関',
      '金融商品取引業，商品先物取引業',
      '補助的金融業等',
      '保険業（保険媒介代理業，保険サービス業を含む）',
    ],
  },
  K: {
    name: '不動産業・物品賃貸業',
    middle: ['不動産取引業', '不動産賃貸業・管理業', '物品賃貸業'],
  },
  L: {
    name: '学術研究・専門・技術サービス業',
    middle: [
      '学術・開発研究機関',
      '専門サービス業（他に分類されないもの）',
      '広告業',
      '技術サービス業（他に分類されないもの）',
    ],
  },
  M: {
    name: '宿泊業・飲食サービス業',
    middle: ['宿泊業', '飲食店', '持ち帰り・配達飲食サービス業'],
  },
  N: {
    name: '生活関連サービス業・娯楽業',
    middle: ['洗濯・理容・美容・浴場業', 'その他の生活関連サービス業', '娯楽業'],
  },
  O: { name: '教育・学習支援業', middle: ['学校教育', 'その他の教育，学習支援業'] },
  P: { name: '医療・福祉', middle: ['医療業', '保健衛生', '社会保険・社会福祉・介護事業'] },
  Q: { name: '複合サービス事業', middle: ['郵便局', '協同組合（他に分類されないもの）'] },
  R: {
    name: 'サービス業（他に分類されないもの）',
    middle: [
      '廃棄物処理業',
      '自動車整備業',
      '機械等修理業（別掲を除く）',
      '職業紹介・労働者派遣業',
      'その他の事業サービス業',
      '政治・経済・文化団体',
      '宗教',
      'その他のサービス業',
      '外国公務',
    ],
  },
  S: { name: '公務（他に分類されるものを除く）', middle: ['国家公務', '地方公務'] },
  T: { name: '分類不能の産業', middle: ['分類不能の産業'] },
};

/** The spelling differences that do not make another name: width, `，`/`、` for `・`, spaces. */
function key(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[,、，]/g, '・')
    .replace(/\s+/g, '');
}

const BY_KEY: ReadonlyMap<string, JsicMajorCode> = (() => {
  const map = new Map<string, JsicMajorCode>();
  for (const code of JSIC_MAJOR_CODES) {
    const division = JSIC_MAJOR_DIVISIONS[code];
    // Middle names first: where one equals its major name (T), the major wins either way.
    for (const middle of division.middle) map.set(key(middle), code);
    map.set(key(division.name), code);
  }
  return map;
})();

export interface JsicMatch {
  code: JsicMajorCode;
  /** The major division's name, as stored. */
  name: string;
}

/** The major division a 業種 names (itself or one of its middle divisions), or null. */
export function readIndustry(text: string): JsicMatch | null {
  const code = BY_KEY.get(key(text));
  return code === undefined ? null : { code, name: JSIC_MAJOR_DIVISIONS[code].name };
}

/** The names a 業種 may take, in A–T order (the on-screen help of the CSV format). */
export const JSIC_MAJOR_NAMES: readonly string[] = JSIC_MAJOR_CODES.map(
  (c) => JSIC_MAJOR_DIVISIONS[c].name,
);
