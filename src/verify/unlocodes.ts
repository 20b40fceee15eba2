/**
 * Names of the places a short location code stands for, so a buyer reads "Yantian, Shenzhen" and not
 * `CNYTN`: a subset of UN/LOCODE (United Nations Code for Trade and Transport Locations, UNECE,
 * https://unece.org/trade/cefact/unlocode-code-list-country-and-territory; names as UN/LOCODE writes them,
 * without diacritics) — the main seaports, airports and e-commerce hubs of China and of its main export
 * destinations. The Chinese names and the IANA time zones are not part of UN/LOCODE: cbec-trace added them
 * (the time zone gives an event its local time when its record carries no offset). A code not listed here is
 * shown as the code. Pure data, browser-safe.
 */

/** One place of the subset: [English name (UN/LOCODE), Chinese name, IANA time zone]. */
type Entry = readonly [en: string, zh: string, timeZone: string];

const SH = "Asia/Shanghai";
const NY = "America/New_York";
const LA = "America/Los_Angeles";
const CHI = "America/Chicago";
const BER = "Europe/Berlin";

const TABLE: Record<string, Entry> = {
  // China: seaports, airports, e-commerce comprehensive pilot zones.
  CNSHA: ["Shanghai", "上海", SH],
  CNPVG: ["Shanghai Pudong International Apt", "上海浦东国际机场", SH],
  CNYTN: ["Yantian, Shenzhen", "深圳盐田", SH],
  CNSZX: ["Shenzhen", "深圳", SH],
  CNSHK: ["Shekou, Shenzhen", "深圳蛇口", SH],
  CNCWN: ["Chiwan, Shenzhen", "深圳赤湾", SH],
  CNNGB: ["Ningbo", "宁波", SH],
  CNTAO: ["Qingdao", "青岛", SH],
  CNTSN: ["Tianjin", "天津", SH],
  CNTXG: ["Tianjin Xingang", "天津新港", SH],
  CNXMN: ["Xiamen", "厦门", SH],
  CNCAN: ["Guangzhou", "广州", SH],
  CNNSA: ["Nansha, Guangzhou", "广州南沙", SH],
  CNHUA: ["Huangpu, Guangzhou", "广州黄埔", SH],
  CNDGG: ["Dongguan", "东莞", SH],
  CNDLC: ["Dalian", "大连", SH],
  CNFOC: ["Fuzhou", "福州", SH],
  CNBJS: ["Beijing", "北京", SH],
  CNPEK: ["Beijing Capital International Apt", "北京首都国际机场", SH],
  CNHGH: ["Hangzhou", "杭州", SH],
  CNYIW: ["Yiwu", "义乌", SH],
  CNCGO: ["Zhengzhou", "郑州", SH],
  CNCTU: ["Chengdu", "成都", SH],
  CNCKG: ["Chongqing", "重庆", SH],
  CNWUH: ["Wuhan", "武汉", SH],
  CNXIY: ["Xi'an", "西安", SH],
  CNLYG: ["Lianyungang", "连云港", SH],
  CNZUH: ["Zhuhai", "珠海", SH],
  HKHKG: ["Hong Kong", "香港", "Asia/Hong_Kong"],
  // United States.
  USLAX: ["Los Angeles", "洛杉矶", LA],
  USLGB: ["Long Beach", "长滩", LA],
  USOAK: ["Oakland", "奥克兰", LA],
  USSEA: ["Seattle", "西雅图", LA],
  USSFO: ["San Francisco", "旧金山", LA],
  USNYC: ["New York", "纽约", NY],
  USSAV: ["Savannah", "萨凡纳", NY],
  USMIA: ["Miami", "迈阿密", NY],
  USCHI: ["Chicago", "芝加哥", CHI],
  USHOU: ["Houston", "休斯敦", CHI],
  USDFW: ["Dallas-Fort Worth Int Apt", "达拉斯-沃斯堡国际机场", CHI],
  USANC: ["Anchorage", "安克雷奇", "America/Anchorage"],
  CAVAN: ["Vancouver", "温哥华", "America/Vancouver"],
  CATOR: ["Toronto", "多伦多", "America/Toronto"],
  MXMEX: ["Mexico City", "墨西哥城", "America/Mexico_City"],
  MXZLO: ["Manzanillo", "曼萨尼约", "America/Mexico_City"],
  BRSSZ: ["Santos", "桑托斯", "America/Sao_Paulo"],
  // Europe.
  DEHAM: ["Hamburg", "汉堡", BER],
  DEBRV: ["Bremerhaven", "不来梅港", BER],
  DEFRA: ["Frankfurt am Main", "法兰克福", BER],
  DELEJ: ["Leipzig", "莱比锡", BER],
  DEMUC: ["Muenchen", "慕尼黑", BER],
  DEDUS: ["Duesseldorf", "杜塞尔多夫", BER],
  DEDUI: ["Duisburg", "杜伊斯堡", BER],
  NLRTM: ["Rotterdam", "鹿特丹", "Europe/Amsterdam"],
  NLAMS: ["Amsterdam", "阿姆斯特丹", "Europe/Amsterdam"],
  BEANR: ["Antwerpen", "安特卫普", "Europe/Brussels"],
  BELGG: ["Liege", "列日", "Europe/Brussels"],
  GBLON: ["London", "伦敦", "Europe/London"],
  GBFXT: ["Felixstowe", "费利克斯托", "Europe/London"],
  GBSOU: ["Southampton", "南安普敦", "Europe/London"],
  FRPAR: ["Paris", "巴黎", "Europe/Paris"],
  FRLEH: ["Le Havre", "勒阿弗尔", "Europe/Paris"],
  ITMIL: ["Milano", "米兰", "Europe/Rome"],
  ITGOA: ["Genova", "热那亚", "Europe/Rome"],
  ESMAD: ["Madrid", "马德里", "Europe/Madrid"],
  ESVLC: ["Valencia", "瓦伦西亚", "Europe/Madrid"],
  ESBCN: ["Barcelona", "巴塞罗那", "Europe/Madrid"],
  PLWAW: ["Warszawa", "华沙", "Europe/Warsaw"],
  PLGDN: ["Gdansk", "格但斯克", "Europe/Warsaw"],
  HUBUD: ["Budapest", "布达佩斯", "Europe/Budapest"],
  RUMOW: ["Moskva", "莫斯科", "Europe/Moscow"],
  // Asia and Oceania.
  JPTYO: ["Tokyo", "东京", "Asia/Tokyo"],
  JPYOK: ["Yokohama", "横滨", "Asia/Tokyo"],
  JPOSA: ["Osaka", "大阪", "Asia/Tokyo"],
  KRSEL: ["Seoul", "首尔", "Asia/Seoul"],
  KRPUS: ["Busan", "釜山", "Asia/Seoul"],
  KRINC: ["Incheon", "仁川", "Asia/Seoul"],
  SGSIN: ["Singapore", "新加坡", "Asia/Singapore"],
  MYPKG: ["Port Klang", "巴生港", "Asia/Kuala_Lumpur"],
  THBKK: ["Bangkok", "曼谷", "Asia/Bangkok"],
  THLCH: ["Laem Chabang", "林查班", "Asia/Bangkok"],
  VNSGN: ["Ho Chi Minh City", "胡志明市", "Asia/Ho_Chi_Minh"],
  VNHPH: ["Haiphong", "海防", "Asia/Ho_Chi_Minh"],
  IDJKT: ["Jakarta, Java", "雅加达", "Asia/Jakarta"],
  PHMNL: ["Manila", "马尼拉", "Asia/Manila"],
  INNSA: ["Jawaharlal Nehru (Nhava Sheva)", "那瓦舍瓦", "Asia/Kolkata"],
  AEDXB: ["Dubai", "迪拜", "Asia/Dubai"],
  AEJEA: ["Jebel Ali", "杰贝阿里", "Asia/Dubai"],
  SAJED: ["Jeddah", "吉达", "Asia/Riyadh"],
  AUSYD: ["Sydney", "悉尼", "Australia/Sydney"],
  AUMEL: ["Melbourne", "墨尔本", "Australia/Melbourne"],
};

/** A place of the UN/LOCODE subset. */
export interface UnLocode {
  code: string;
  /** ISO 3166-1 alpha-2: the code's first two letters. */
  country: string;
  en: string;
  zh: string;
  timeZone: string;
}

/** The place a 5-character UN/LOCODE names, or undefined when it is not in the bundled subset. */
export function unLocode(code: string): UnLocode | undefined {
  const entry = Object.prototype.hasOwnProperty.call(TABLE, code) ? TABLE[code] : undefined;
  if (!entry) return undefined;
  return { code, country: code.slice(0, 2), en: entry[0], zh: entry[1], timeZone: entry[2] };
}

/** How many places the subset holds (for tests and the attribution line). */
export const UNLOCODE_COUNT = Object.keys(TABLE).length;
