import './styles/base.css';
import { createApp, watchEffect } from 'vue';
import App from './App.vue';
import { router } from './router';
import { lang, t } from './i18n';

watchEffect(() => {
  document.documentElement.lang = lang.value;
  document.title = t('app.name');
});

createApp(App).use(router).mount('#app');
