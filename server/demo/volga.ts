// The Russian demo workspace "Волга Дистрибуция" (HEADWAY_LOCALE=ru npm start): a distributor in Nizhny Novgorod
// selling to companies across Russia, in roubles, on the Russian production calendar. Plain data; seed.ts turns it
// into rows. The manager keys keep their part in the demo's story (see DemoData).
import type { DemoData } from './northwind';

export const volga: DemoData = {
  workspace: { name: 'Волга Дистрибуция', reportingCurrency: 'RUB', fiscalYearStartMonth: 1, locale: 'ru' },
  head: { name: 'Дарья Волкова', email: 'daria.volkova@volga-distribution.example', suiteUserName: 'dvolkova' },
  exec: { name: 'Елена Панова', email: 'elena.panova@volga-distribution.example' },
  managers: [
    { key: 'marco', name: 'Максим Орлов', email: 'maxim.orlov@volga-distribution.example', suiteUserName: 'morlov', region: 'Юг', alsoServes: ['Центр'], countries: ['Краснодарский край', 'Ростовская область'], capacity: 120, openDeals: 24, earlyStageBias: 0.3, absentThisWeek: false },
    { key: 'priya', name: 'Полина Шарова', email: 'polina.sharova@volga-distribution.example', suiteUserName: 'psharova', region: 'Северо-Запад', alsoServes: [], countries: ['Санкт-Петербург', 'Ленинградская область'], capacity: 100, openDeals: 44, earlyStageBias: 0.85, absentThisWeek: false },
    { key: 'lukas', name: 'Леонид Белов', email: 'leonid.belov@volga-distribution.example', suiteUserName: 'lbelov', region: 'Центр', alsoServes: ['Юг'], countries: ['Москва', 'Московская область'], capacity: 100, openDeals: 18, earlyStageBias: 0.35, absentThisWeek: true },
    { key: 'sofia', name: 'Софья Лебедева', email: 'sofia.lebedeva@volga-distribution.example', suiteUserName: 'slebedeva', region: 'Поволжье', alsoServes: ['Северо-Запад'], countries: ['Нижегородская область', 'Татарстан'], capacity: 80, openDeals: 8, earlyStageBias: 0.3, absentThisWeek: false },
  ],
  accountStems: [
    'Альфа', 'Вектор', 'Гранит', 'Северный', 'Меридиан', 'Ока', 'Пик', 'Прибрежный', 'Вершина', 'Кама',
    'Кедр', 'Сапфир', 'Ладога', 'Медный', 'Озёрный', 'Рубин', 'Стерх', 'Уралец', 'Сокол', 'Байкал',
  ],
  accountTrades: ['Логистик', 'Продукт', 'Ритейл', 'Отель', 'Инжиниринг', 'Фарм', 'Строй', 'Текстиль', 'Флот', 'Офис'],
  cities: {
    'Краснодарский край': ['Краснодар', 'Новороссийск', 'Сочи'], 'Ростовская область': ['Ростов-на-Дону', 'Таганрог'],
    'Санкт-Петербург': ['Санкт-Петербург'], 'Ленинградская область': ['Гатчина', 'Выборг'],
    Москва: ['Москва'], 'Московская область': ['Химки', 'Подольск', 'Мытищи'],
    'Нижегородская область': ['Нижний Новгород', 'Дзержинск'], Татарстан: ['Казань', 'Набережные Челны'],
  },
  saleProducts: [
    'Продление телематики автопарка', 'Складские стеллажи', 'Рефконтейнеры', 'Годовая поставка кофе', 'Модернизация упаковочной линии',
    'Офисная мебель', 'Рамочный договор на запчасти', 'Лизинг погрузчиков', 'Расходные материалы для уборки', 'Принтеры этикеток',
  ],
  purchaseProducts: ['Пиломатериалы', 'Гофрокартон', 'Стретч-плёнка', 'Дизельное топливо по рамочному договору', 'Стальные кронштейны'],
  accountName: (brand) => `ООО «${brand}»`,
  foreign: { currency: 'CNY', rate: 11.5 },
  amountScale: 100,
  calendarCountry: 'RU',
  phone: (random) => `+7 ${random.int(800, 999)} ${random.int(100, 999)}-${random.int(10, 99)}-${random.int(10, 99)}`,
};
